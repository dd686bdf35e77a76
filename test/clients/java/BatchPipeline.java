import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * pgjdbc batches: executeBatch sends every statement's Parse/Bind/Execute before one Sync. Each
 * statement must see what the ones before it in the batch did. Prints "row NAME value" lines.
 */
public final class BatchPipeline {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
      try (Statement s = c.createStatement()) {
        s.addBatch("CREATE TEMP VIEW bv AS SELECT * FROM requests WHERE servicedeskid = '2'");
        s.addBatch("CREATE TEMP TABLE bt AS SELECT requestkey FROM bv");
        s.addBatch("INSERT INTO bt SELECT requestkey FROM requests WHERE servicedeskid = '3'");
        s.executeBatch();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO bt SELECT requestkey FROM requests WHERE servicedeskid = ?")) {
        for (String desk : new String[] {"1", "1"}) {
          p.setString(1, desk);
          p.addBatch();
        }
        p.executeBatch();
      }
      System.out.println("row\tbatched\t" + count(c, "SELECT count(*) FROM bt"));
      System.out.println("row\tone-by-one\t" + count(c,
          "SELECT (SELECT count(*) FROM requests WHERE servicedeskid = '2') + (SELECT count(*) FROM requests WHERE servicedeskid = '3') + 2 * (SELECT count(*) FROM requests WHERE servicedeskid = '1')"));
    }
    System.out.println("done");
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
