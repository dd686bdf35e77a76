import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes to JSM relations through pgjdbc with autocommit off (pgjdbc's BEGIN in front of the
 * first statement, commit() at the end). Prints "ok|FAIL NAME detail" per check (Checks) and
 * "row NAME value" lines the vitest side compares with the simulator's dataset.
 *
 * Usage: java WriteBatch JDBC_URL USER PASSWORD
 */
public final class WriteBatch {
  /** More rows than pgjdbc's prepareThreshold (5): the later ones use a named server statement and binary parameters. */
  static final int BATCH = 7;
  static final String REQUEST = "10004";
  static final String AUTOCOMMIT_REQUEST = "10005";
  static final String FAILING_REQUEST = "10012";

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
      c.setAutoCommit(false);

      Checks.check("executeBatch", () -> {
        int[] counts;
        List<String> warnings = new ArrayList<>();
        // RequestId as an int4 parameter (pgjdbc sends it in binary), cast to the column's text
        try (PreparedStatement p = c.prepareStatement("INSERT INTO RequestComments (RequestId, Body, Public) VALUES (CAST(? AS text), ?, ?)")) {
          for (int i = 1; i <= BATCH; i++) {
            p.setInt(1, Integer.parseInt(REQUEST));
            p.setString(2, "jdbc batch " + i);
            p.setBoolean(3, i % 2 == 1);
            p.addBatch();
          }
          counts = p.executeBatch();
          for (SQLWarning w = p.getWarnings(); w != null; w = w.getNextWarning()) warnings.add(w.getMessage());
        }
        System.out.println("row\tbatchCounts\t" + Arrays.toString(counts));
        System.out.println("row\tbatchWarnings\t" + warnings.size());
        for (int n : counts) Checks.require(n == 1, "update counts " + Arrays.toString(counts));
        Checks.require(counts.length == BATCH, "update counts " + Arrays.toString(counts));
        // the same transaction reads them back
        List<String> bodies = strings(c, "SELECT Body FROM RequestComments WHERE RequestId = ? AND Body LIKE 'jdbc batch %' ORDER BY Body", REQUEST);
        System.out.println("row\tbatchSeen\t" + String.join("|", bodies));
        Checks.require(bodies.size() == BATCH, "read back " + bodies);
        c.commit();
        return Arrays.toString(counts);
      });

      Checks.check("readAfterCommit", () -> {
        List<String> ids = strings(c, "SELECT Id FROM RequestComments WHERE RequestId = ? AND Body LIKE 'jdbc batch %' ORDER BY Id", REQUEST);
        System.out.println("row\tbatchIds\t" + String.join("|", ids));
        c.commit();
        Checks.require(ids.size() == BATCH, "ids " + ids);
        return String.join(",", ids);
      });

      Checks.check("deleteParticipant", () -> {
        String requestId;
        String accountId;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT RequestId, AccountId FROM RequestParticipants ORDER BY RequestId, AccountId LIMIT 1")) {
          Checks.require(rs.next(), "a participant to delete");
          requestId = rs.getString(1);
          accountId = rs.getString(2);
        }
        int n;
        try (PreparedStatement p = c.prepareStatement("DELETE FROM RequestParticipants WHERE RequestId = ? AND AccountId = ?")) {
          p.setString(1, requestId);
          p.setString(2, accountId);
          n = p.executeUpdate();
        }
        c.commit();
        System.out.println("row\tdeleted\t" + requestId + "|" + accountId);
        System.out.println("row\tdeleteCount\t" + n);
        List<String> left = strings(c, "SELECT AccountId FROM RequestParticipants WHERE RequestId = ?", requestId);
        c.commit();
        System.out.println("row\tparticipantsLeft\t" + String.join("|", left));
        Checks.require(n == 1, "delete count " + n);
        Checks.require(!left.contains(accountId), "still there: " + left);
        return requestId + " " + accountId;
      });

      Checks.check("insertReturning", () -> {
        String id;
        String body;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO RequestComments (RequestId, Body, Public) VALUES (?, ?, ?) RETURNING Id, Body")) {
          p.setString(1, REQUEST);
          p.setString(2, "jdbc returning");
          p.setBoolean(3, false);
          try (ResultSet rs = p.executeQuery()) {
            Checks.require(rs.next(), "a returned row");
            id = rs.getString("id");
            body = rs.getString("body");
            Checks.require(!rs.next(), "one returned row");
          }
        }
        c.commit();
        System.out.println("row\treturning\t" + id + "|" + body);
        List<String> again = strings(c, "SELECT Body FROM RequestComments WHERE RequestId = ? AND Id = '" + id + "'", REQUEST);
        c.commit();
        Checks.require(again.equals(List.of("jdbc returning")), "read back " + again);
        return id;
      });

      Checks.check("executeBatchAutocommit", () -> {
        c.setAutoCommit(true);
        int[] counts;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO RequestComments (RequestId, Body) VALUES (?, ?)")) {
          for (int i = 1; i <= 3; i++) {
            p.setString(1, AUTOCOMMIT_REQUEST);
            p.setString(2, "jdbc autocommit " + i);
            p.addBatch();
          }
          counts = p.executeBatch();
          int warnings = 0;
          for (SQLWarning w = p.getWarnings(); w != null; w = w.getNextWarning()) warnings++;
          System.out.println("row\tautocommitWarnings\t" + warnings);
        }
        System.out.println("row\tautocommitCounts\t" + Arrays.toString(counts));
        List<String> bodies = strings(c, "SELECT Body FROM RequestComments WHERE RequestId = ? AND Body LIKE 'jdbc autocommit %' ORDER BY Body", AUTOCOMMIT_REQUEST);
        c.setAutoCommit(false);
        Checks.require(Arrays.equals(counts, new int[] {1, 1, 1}), "update counts " + Arrays.toString(counts));
        Checks.require(bodies.size() == 3, "read back " + bodies);
        return Arrays.toString(counts);
      });

      // Row 3 has no Body: the gateway refuses it (23502) before calling the API. JSM has no
      // rollback, so rows 1 and 2 stay applied; rows 4 to 7 are never executed (the batch aborts).
      Checks.check("executeBatchFailingRow", () -> {
        c.setAutoCommit(true);
        String state = "no error";
        try (PreparedStatement p = c.prepareStatement("INSERT INTO RequestComments (RequestId, Body) VALUES (?, ?)")) {
          for (int i = 1; i <= BATCH; i++) {
            p.setString(1, FAILING_REQUEST);
            p.setString(2, i == 3 ? null : "jdbc failing " + i);
            p.addBatch();
          }
          p.executeBatch();
        } catch (BatchUpdateException e) {
          SQLException cause = e.getNextException() != null ? e.getNextException() : e;
          state = cause.getSQLState();
          System.out.println("row\tfailingError\t" + state + " " + cause.getMessage().replace('\n', ' '));
        }
        List<String> bodies = strings(c, "SELECT Body FROM RequestComments WHERE RequestId = ? AND Body LIKE 'jdbc failing %' ORDER BY Body", FAILING_REQUEST);
        c.setAutoCommit(false);
        System.out.println("row\tfailingSeen\t" + String.join("|", bodies));
        Checks.require("23502".equals(state), "SQLSTATE " + state);
        return String.join(",", bodies);
      });

      Checks.check("identity", () -> {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT Id, Batch, Operation, Message FROM sys_identity ORDER BY Batch::int, Id")) {
          while (rs.next()) rows.add(rs.getString(1) + "," + rs.getString(2) + "," + rs.getString(3) + "," + rs.getString(4));
        }
        c.commit();
        System.out.println("row\tidentity\t" + String.join("|", rows));
        return String.valueOf(rows.size());
      });
    }
    System.out.println("done");
  }

  static List<String> strings(Connection c, String sql, String param) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, param);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
  }
}
