import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Autocommit off, as pgjdbc applications and Metabase's write paths run: each failing statement
 * must report its own SQLSTATE (not 25P02), and the connection goes on after rollback.
 * Prints "row NAME sqlstate" for each statement of args[3..], then "done".
 */
public final class TransactionErrors {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
      c.setAutoCommit(false);
      for (int i = 3; i < args.length; i++) {
        String state = "ok";
        try (Statement s = c.createStatement()) {
          s.executeQuery(args[i]).close();
        } catch (SQLException e) {
          state = e.getSQLState();
        }
        c.rollback();
        System.out.println("row\tstmt" + (i - 3) + "\t" + state);
      }
      try (Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").close();
        System.out.println("ok\talive\t");
      }
    }
    System.out.println("done");
  }
}
