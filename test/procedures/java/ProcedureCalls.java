import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * pgjdbc CallableStatement against the gateway: args are the JDBC URL, user and password. Prints
 * "row <tab> NAME <tab> value" lines for the test to compare, "error <tab> NAME <tab> SQLSTATE"
 * for calls that must fail, then "done".
 */
public class ProcedureCalls {
  public static void main(String[] args) throws Exception {
    try (Connection conn = DriverManager.getConnection(args[0], args[1], args[2])) {
      // native CALL syntax, positional and named, with parameters
      try (CallableStatement cs = conn.prepareCall("CALL CreateCustomer(?, ?)")) {
        cs.setString(1, "jdbc@example.com");
        cs.setString(2, "Jay Dee");
        print("native", cs.executeQuery());
      }
      try (CallableStatement cs = conn.prepareCall("CALL CreateSchema(TableName => ?, FileName => ?)")) {
        cs.setString(1, "Requests");
        cs.setString(2, "jdbc.json");
        print("named", cs.executeQuery());
      }
      // the JDBC escape, sent as CALL (pgjdbc's default sends SELECT * FROM f(…), which PostgreSQL refuses for a procedure)
      try (Connection call = DriverManager.getConnection(args[0] + "&escapeSyntaxCallMode=callIfNoReturn", args[1], args[2]);
           CallableStatement cs = call.prepareCall("{call CreateSchema(?, ?)}")) {
        cs.setString(1, "Users");
        cs.setString(2, "users.json");
        print("escape", cs.executeQuery());
      }
      try (CallableStatement cs = conn.prepareCall("CALL CreateCustomer(mail => ?)")) {
        cs.setString(1, "x@example.com");
        cs.executeQuery();
        System.out.println("error\tunknown\tnone");
      } catch (SQLException e) {
        System.out.println("error\tunknown\t" + e.getSQLState());
      }
    }
    System.out.println("done");
  }

  private static void print(String name, ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    StringBuilder sb = new StringBuilder();
    while (rs.next()) {
      for (int i = 1; i <= md.getColumnCount(); i++) sb.append(i > 1 ? "," : "").append(md.getColumnLabel(i)).append('=').append(rs.getString(i));
    }
    System.out.println("row\t" + name + "\t" + sb);
  }
}
