import java.sql.SQLException;
import java.util.concurrent.Callable;

/** The line protocol the vitest side reads: "ok NAME detail" or "FAIL NAME message", one per check. */
public final class Checks {
  private Checks() {}

  /** Runs one check; a failure is printed, not thrown, so one broken call does not hide the others. */
  public static void check(String name, Callable<String> c) {
    try {
      String detail = c.call();
      System.out.println("ok\t" + name + "\t" + (detail == null ? "" : detail.replace('\n', ' ')));
    } catch (Throwable e) {
      String msg = e instanceof SQLException ? ((SQLException) e).getSQLState() + " " + e.getMessage() : e.toString();
      System.out.println("FAIL\t" + name + "\t" + msg.replace('\n', ' '));
    }
  }

  public static void require(boolean cond, String what) {
    if (!cond) throw new AssertionError(what);
  }
}
