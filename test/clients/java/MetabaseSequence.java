import java.sql.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * What Metabase's PostgreSQL driver sends over pgjdbc, phase by phase (the vitest side reads the
 * simulator's call log between phases). Output lines: "ok NAME detail", "FAIL NAME message",
 * "row NAME value" for values the test compares.
 *
 * Usage: java -cp postgresql.jar:. MetabaseSequence JDBC_URL USER PASSWORD PHASE [ARGS]
 *   connect                 the statements Metabase runs on a new connection
 *   sync                    database sync: schemas, tables + privileges, columns, FKs, fingerprints, field values
 *   question DESK N         one dashboard card filtered on ServiceDeskId = DESK, from N connections at once
 */
public class MetabaseSequence {
  static String url, user, password;


  /** A pooled connection as Metabase's c3p0 pool opens it. */
  static Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("OpenSourceSubProtocolOverride", "true");
    p.setProperty("ApplicationName", "Metabase v0.50.0 [jsm-pg test]");
    return DriverManager.getConnection(url, p);
  }

  /** What Metabase does before running a query on a pooled connection. */
  static void prepareForQuery(Connection c) throws SQLException {
    c.setReadOnly(false);
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      st.execute("SET extra_float_digits = 2");
      st.execute("SET application_name = 'Metabase v0.50.0 [jsm-pg test]'");
    }
    c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
    c.setAutoCommit(false);
    c.setReadOnly(true);
  }

  static List<List<String>> rows(ResultSet rs) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    try (rs) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) row.add(rs.getString(i));
        out.add(row);
      }
    }
    return out;
  }

  static List<List<String>> query(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
      return rows(ps.executeQuery());
    }
  }

  public static void main(String[] args) throws Exception {
    url = args[0];
    user = args[1];
    password = args[2];
    switch (args[3]) {
      case "connect" -> connect();
      case "sync" -> sync();
      case "question" -> question(args[4], Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException(args[3]);
    }
    System.out.println("done");
  }

  static void connect() throws Exception {
    try (Connection c = open()) {
      Checks.check("setExtraFloatDigits", () -> {
        try (Statement st = c.createStatement()) {
          st.execute("SET extra_float_digits = 2");
        }
        return "";
      });
      Checks.check("setApplicationName", () -> {
        try (Statement st = c.createStatement()) {
          st.execute("SET application_name = 'Metabase v0.50.0'");
        }
        List<List<String>> r = query(c, "SELECT current_setting('application_name')");
        Checks.require(r.get(0).get(0).equals("Metabase v0.50.0"), "application_name " + r);
        return r.get(0).get(0);
      });
      Checks.check("showTransactionIsolation", () -> {
        List<List<String>> r = rows(c.createStatement().executeQuery("SHOW TRANSACTION ISOLATION LEVEL"));
        Checks.require(r.get(0).get(0).equals("read committed"), "level " + r);
        Checks.require(c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED, "getTransactionIsolation");
        return r.get(0).get(0);
      });
      Checks.check("setSessionCharacteristicsReadUncommitted", () -> {
        try (Statement st = c.createStatement()) {
          st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
        }
        c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
        Checks.require(c.getTransactionIsolation() == Connection.TRANSACTION_READ_UNCOMMITTED, "isolation after SET");
        return "read uncommitted";
      });
      Checks.check("showTimezone", () -> {
        List<List<String>> r = rows(c.createStatement().executeQuery("SHOW timezone"));
        Checks.require(!r.get(0).get(0).isEmpty(), "timezone empty");
        return r.get(0).get(0);
      });
      Checks.check("readOnlyTransaction", () -> {
        c.setAutoCommit(false);
        c.setReadOnly(true); // pgjdbc: the next statement opens the transaction with BEGIN READ ONLY
        // (servicedesks, not requests: the question phases want the requests cache cold)
        List<List<String>> r = query(c, "SELECT current_setting('transaction_read_only'), count(*) FROM servicedesks");
        Checks.require(r.get(0).get(0).equals("on"), "transaction_read_only " + r.get(0).get(0));
        Checks.require(Integer.parseInt(r.get(0).get(1)) > 0, "no service desks");
        // reads in a read-only transaction still load the session's rows, and writes are refused
        try (Statement st = c.createStatement()) {
          st.execute("CREATE TEMP TABLE should_fail (x int)");
          throw new AssertionError("CREATE in a READ ONLY transaction succeeded");
        } catch (SQLException e) {
          Checks.require("25006".equals(e.getSQLState()), "state " + e.getSQLState());
        }
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(true);
        return r.get(0).get(1) + " desks";
      });
      Checks.check("afterReadOnly", () -> {
        List<List<String>> r = query(c, "SELECT count(*) FROM servicedesks");
        return r.get(0).get(0) + " desks";
      });
    }
  }

  static final String TABLE_PRIVILEGES = """
      with table_privileges as (
       select
         NULL as role,
         t.schemaname as schema,
         t.objectname as table,
         pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'update') as update,
         pg_catalog.has_table_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'select') as select,
         pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'insert') as insert,
         pg_catalog.has_table_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'delete') as delete
       from (
         select schemaname, tablename as objectname from pg_catalog.pg_tables
         union
         select schemaname, viewname as objectname from pg_catalog.pg_views
         union
         select schemaname, matviewname as objectname from pg_catalog.pg_matviews
       ) t
       where t.schemaname !~ '^pg_'
         and t.schemaname <> 'information_schema'
         and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
      )
      select t.*
      from table_privileges t
      """;

  static final String DESCRIBE_DATABASE = """
      SELECT "n"."nspname" AS "schema", "c"."relname" AS "name",
        CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW'
          WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type",
        "d"."description" AS "description", "stat"."n_live_tup" AS "estimated_row_count"
      FROM "pg_catalog"."pg_class" AS "c"
      INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid"
      LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = 0) AND ("d"."classoid" = 'pg_class'::regclass)
      LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname")
      WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^information_schema|catalog_history|pg_')
        AND ("c"."relkind" IN ('r', 'p', 'v', 'f', 'm'))
        AND (pg_catalog.has_table_privilege("c"."oid", 'SELECT') OR pg_catalog.has_any_column_privilege("c"."oid", 'SELECT'))
        AND pg_catalog.has_schema_privilege("n"."nspname", 'USAGE')
      ORDER BY "type" ASC, "schema" ASC, "name" ASC
      """;

  static final String DESCRIBE_FIELDS = """
      SELECT "c"."column_name" AS "name", "c"."udt_name" AS "database-type", "c"."ordinal_position" - 1 AS "database-position",
        "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?",
        COL_DESCRIPTION(CAST(CAST(FORMAT('%I.%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment",
        (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO')
          AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO')) AS "database-required",
        (("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment"
      FROM "information_schema"."columns" AS "c"
      LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name"
                 FROM "information_schema"."table_constraints" AS "tc"
                 INNER JOIN "information_schema"."key_column_usage" AS "kc"
                   ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name")
                 WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk"
        ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name")
      WHERE ("c"."table_schema" !~ '^information_schema|catalog_history|pg_') AND ("c"."table_schema" IN (?))
      ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC
      """;

  static final String DESCRIBE_FKS = """
      SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name",
        "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name"
      FROM "pg_constraint" AS "c"
      INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid"
      INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid"
      INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid"
      INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid"
      INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid"
      INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid"
      WHERE ("fk_ns"."nspname" !~ '^information_schema|catalog_history|pg_') AND ("c"."contype" = CAST('f' AS CHAR))
        AND ("fk_column"."attnum" = ANY("c"."conkey")) AND ("pk_column"."attnum" = ANY("c"."confkey")) AND ("fk_ns"."nspname" IN (?))
      ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC
      """;

  static String q(String ident) {
    return '"' + ident.replace("\"", "\"\"") + '"';
  }

  static void sync() throws Exception {
    try (Connection c = open()) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
      DatabaseMetaData md = c.getMetaData();
      Checks.check("syncSchemas", () -> {
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = md.getSchemas()) {
          while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM"));
        }
        Checks.require(schemas.contains("jsm"), "schemas " + schemas);
        return schemas.toString();
      });
      Checks.check("syncTablePrivileges", () -> {
        List<List<String>> r = query(c, TABLE_PRIVILEGES);
        long jsm = r.stream().filter(x -> x.get(1).equals("jsm") && x.get(4).equals("t")).count();
        Checks.require(r.stream().anyMatch(x -> x.get(1).equals("jsm") && x.get(2).equals("requests") && x.get(4).equals("t")), "no select on jsm.requests");
        Checks.require(r.stream().noneMatch(x -> x.get(1).startsWith("pg_")), "pg_ schemas listed");
        return jsm + " jsm relations selectable";
      });
      List<String[]> tables = new ArrayList<>();
      Checks.check("syncDescribeDatabase", () -> {
        for (List<String> row : query(c, DESCRIBE_DATABASE)) if (row.get(0).equals("jsm")) tables.add(new String[] {row.get(0), row.get(1)});
        Checks.require(tables.stream().anyMatch(t -> t[1].equals("requests")), "requests not listed");
        Checks.require(tables.stream().noneMatch(t -> t[1].endsWith("__rows")), "session row tables listed");
        return tables.size() + " tables";
      });
      Map<String, List<String>> columns = new LinkedHashMap<>();
      Checks.check("syncDescribeFields", () -> {
        List<List<String>> r = query(c, DESCRIBE_FIELDS, "jsm");
        for (List<String> row : r) columns.computeIfAbsent(row.get(4), k -> new ArrayList<>()).add(row.get(0));
        Checks.require(r.stream().anyMatch(x -> x.get(4).equals("requests") && x.get(0).equals("requestid") && x.get(5).equals("t")), "requestid not pk");
        Checks.require(r.stream().anyMatch(x -> x.get(4).equals("requests") && x.get(0).equals("summary") && x.get(6) != null), "no comment on summary");
        return r.size() + " columns";
      });
      Checks.check("syncDescribeFks", () -> {
        List<List<String>> r = query(c, DESCRIBE_FKS, "jsm");
        Checks.require(r.stream().anyMatch(x -> x.get(1).equals("requests") && x.get(2).equals("servicedeskid") && x.get(4).equals("servicedesks")), "requests.servicedeskid fk missing");
        return r.size() + " foreign keys";
      });
      Checks.check("syncTimezone", () -> rows(c.createStatement().executeQuery("SHOW timezone")).get(0).get(0));
      // Fingerprints and field values for the tables the dashboards use (a full sync does every table the same way).
      for (String table : List.of("servicedesks", "requests")) {
        List<String> cols = columns.getOrDefault(table, List.of());
        Checks.check("fingerprint " + table, () -> {
          prepareForQuery(c);
          StringBuilder sql = new StringBuilder("SELECT ");
          for (int i = 0; i < cols.size(); i++) {
            if (i > 0) sql.append(", ");
            sql.append(q("jsm")).append('.').append(q(table)).append('.').append(q(cols.get(i))).append(" AS ").append(q(cols.get(i)));
          }
          sql.append(" FROM ").append(q("jsm")).append('.').append(q(table)).append(" LIMIT 10000");
          int n = query(c, sql.toString()).size();
          c.commit();
          Checks.require(n > 0, "no rows");
          System.out.println("row\tfingerprint." + table + "\t" + n);
          return n + " rows";
        });
      }
      for (String[] field : List.of(new String[] {"requests", "currentstatus"}, new String[] {"requests", "servicedeskid"}, new String[] {"servicedesks", "projectname"})) {
        Checks.check("fieldValues " + field[0] + "." + field[1], () -> {
          prepareForQuery(c);
          String col = q("jsm") + "." + q(field[0]) + "." + q(field[1]);
          List<List<String>> r = query(c, "SELECT " + col + " AS " + q(field[1]) + " FROM " + q("jsm") + "." + q(field[0])
              + " GROUP BY " + col + " ORDER BY " + col + " ASC LIMIT 1000");
          c.commit();
          Checks.require(!r.isEmpty(), "no values");
          return r.size() + " distinct values";
        });
      }
    }
  }

  static final String QUESTION = """
      SELECT "jsm"."requests"."currentstatus" AS "currentstatus", COUNT(*) AS "count"
      FROM "jsm"."requests"
      WHERE "jsm"."requests"."servicedeskid" = ?
      GROUP BY "jsm"."requests"."currentstatus"
      ORDER BY "count" DESC, "jsm"."requests"."currentstatus" ASC
      """;

  static void question(String desk, int connections) throws Exception {
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Connection c = open();
      prepareForQuery(c);
      conns.add(c);
    }
    CyclicBarrier start = new CyclicBarrier(connections);
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<String>> answers = new ArrayList<>();
    for (Connection c : conns) {
      answers.add(pool.submit(() -> {
        start.await();
        List<List<String>> r = query(c, QUESTION, desk);
        c.commit();
        return r.toString();
      }));
    }
    Checks.check("question desk " + desk + " x" + connections, () -> {
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : answers) distinct.add(f.get(60, TimeUnit.SECONDS));
      Checks.require(distinct.size() == 1, "connections disagree: " + distinct);
      String answer = distinct.iterator().next();
      Checks.require(!answer.equals("[]"), "empty answer");
      System.out.println("row\tanswer\t" + answer);
      return answer;
    });
    pool.shutdown();
    for (Connection c : conns) c.close();
  }
}
