import java.sql.*;
import java.util.*;

/**
 * Drives pgjdbc against the gateway the way BI tools do. Each check prints one line:
 * "ok NAME detail" or "FAIL NAME message"; the vitest side asserts on those lines, so one
 * broken call does not hide the others.
 * Usage: java -cp postgresql.jar:. JdbcClient JDBC_URL USER PASSWORD
 */
public class JdbcClient {
  static Connection conn;


  /** Reads a metadata result set fully, returning the values of one column. */
  static List<String> column(ResultSet rs, String col) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) out.add(rs.getString(col));
    }
    return out;
  }

  static int count(ResultSet rs) throws SQLException {
    int n = 0;
    try (rs) {
      while (rs.next()) n++;
    }
    return n;
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    props.setProperty("ApplicationName", "jsm-pg JDBC client test");
    conn = DriverManager.getConnection(args[0], props);
    DatabaseMetaData md = conn.getMetaData();

    Checks.check("serverVersion", () -> md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
    Checks.check("getCatalogs", () -> {
      List<String> cats = column(md.getCatalogs(), "TABLE_CAT");
      Checks.require(cats.contains("jsm"), "catalog jsm missing: " + cats);
      return cats.toString();
    });
    Checks.check("getSchemas", () -> {
      List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
      Checks.require(schemas.contains("jsm"), "schema jsm missing: " + schemas);
      return schemas.toString();
    });
    Checks.check("getSchemasPattern", () -> {
      List<String> schemas = column(md.getSchemas(null, "js%"), "TABLE_SCHEM");
      Checks.require(schemas.equals(List.of("jsm")), "pattern js% gave " + schemas);
      return schemas.toString();
    });
    Checks.check("getTableTypes", () -> column(md.getTableTypes(), "TABLE_TYPE").toString());
    Checks.check("getTablesAll", () -> {
      List<String> names = column(md.getTables(null, null, "%", null), "TABLE_NAME");
      Checks.require(names.contains("requests") && names.contains("servicedesks"), "tables missing: " + names);
      return names.size() + " relations";
    });
    // the JSM relations are guarded views (DESIGN.md §6); sys_identity is a plain table
    Checks.check("getTablesTypeTable", () -> {
      List<String> views = column(md.getTables(null, "jsm", "%", new String[] {"VIEW"}), "TABLE_NAME");
      Checks.require(views.contains("requests") && views.contains("servicedesks"), "VIEW filter gave " + views);
      List<String> names = column(md.getTables(null, "jsm", "%", new String[] {"TABLE"}), "TABLE_NAME");
      Checks.require(names.contains("sys_identity") && !names.contains("requests"), "TABLE filter gave " + names);
      return names.toString();
    });
    Checks.check("getTablesTypeTableAndView", () -> {
      int n = count(md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}));
      Checks.require(n >= 2, "TABLE,VIEW filter gave " + n);
      return n + " relations";
    });
    Checks.check("getTablesTypeSystem", () -> {
      int n = count(md.getTables(null, "pg_catalog", "pg_class", new String[] {"SYSTEM TABLE"}));
      Checks.require(n == 1, "pg_class as SYSTEM TABLE: " + n);
      return "pg_class";
    });
    Checks.check("getTablesRemarks", () -> {
      try (ResultSet rs = md.getTables(null, "jsm", "requests", new String[] {"VIEW"})) {
        Checks.require(rs.next(), "no row for requests");
        String remarks = rs.getString("REMARKS");
        Checks.require(remarks != null && !remarks.isEmpty(), "no REMARKS on requests");
        return remarks;
      }
    });
    Checks.check("getColumns", () -> {
      Map<String, Integer> types = new LinkedHashMap<>();
      try (ResultSet rs = md.getColumns(null, "jsm", "requests", "%")) {
        while (rs.next()) types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
      }
      Checks.require(types.get("requestid") == Types.VARCHAR, "requestid type " + types.get("requestid"));
      Checks.require(types.get("createddate") == Types.TIMESTAMP || types.get("createddate") == Types.TIMESTAMP_WITH_TIMEZONE, "createddate type " + types.get("createddate"));
      return types.size() + " columns";
    });
    Checks.check("getColumnsRemarks", () -> {
      try (ResultSet rs = md.getColumns(null, "jsm", "requests", "summary")) {
        Checks.require(rs.next(), "no summary column");
        Checks.require(rs.getString("REMARKS") != null, "no REMARKS on summary");
        return rs.getString("REMARKS");
      }
    });
    Checks.check("getPrimaryKeys", () -> {
      List<String> pk = column(md.getPrimaryKeys(null, "jsm", "requests"), "COLUMN_NAME");
      Checks.require(!pk.isEmpty() && pk.get(0).equals("requestid"), "primary key " + pk);
      return pk.toString();
    });
    Checks.check("getImportedKeys", () -> {
      try (ResultSet rs = md.getImportedKeys(null, "jsm", "requests")) {
        List<String> fks = new ArrayList<>();
        while (rs.next()) fks.add(rs.getString("FKCOLUMN_NAME") + "->" + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME"));
        Checks.require(fks.contains("servicedeskid->servicedesks.id"), "imported keys " + fks);
        return fks.toString();
      }
    });
    Checks.check("getExportedKeys", () -> {
      try (ResultSet rs = md.getExportedKeys(null, "jsm", "servicedesks")) {
        List<String> fks = new ArrayList<>();
        while (rs.next()) fks.add(rs.getString("FKTABLE_NAME") + "." + rs.getString("FKCOLUMN_NAME"));
        Checks.require(fks.contains("requests.servicedeskid"), "exported keys " + fks);
        return fks.toString();
      }
    });
    Checks.check("getCrossReference", () -> {
      int n = count(md.getCrossReference(null, "jsm", "servicedesks", null, "jsm", "requests"));
      Checks.require(n == 1, "cross reference rows " + n);
      return "1 row";
    });
    Checks.check("getIndexInfo", () -> {
      List<String> idx = column(md.getIndexInfo(null, "jsm", "requests", false, true), "INDEX_NAME");
      Checks.require(idx.contains("requests_pkey"), "indexes " + idx);
      return idx.toString();
    });
    Checks.check("getBestRowIdentifier", () -> count(md.getBestRowIdentifier(null, "jsm", "requests", DatabaseMetaData.bestRowSession, true)) + " rows");
    Checks.check("getTablePrivileges", () -> count(md.getTablePrivileges(null, "jsm", "requests")) + " rows");
    Checks.check("getColumnPrivileges", () -> count(md.getColumnPrivileges(null, "jsm", "requests", "%")) + " rows");
    Checks.check("getTypeInfo", () -> {
      List<String> types = column(md.getTypeInfo(), "TYPE_NAME");
      Checks.require(types.contains("timestamptz") && types.contains("bool") && types.contains("text"), "types " + types.size());
      return types.size() + " types";
    });
    Checks.check("getUDTs", () -> count(md.getUDTs(null, "jsm", "%", null)) + " rows");
    Checks.check("getProcedures", () -> {
      List<String> procs = column(md.getProcedures(null, "jsm", "%"), "PROCEDURE_NAME");
      return procs.toString();
    });
    Checks.check("getProcedureColumns", () -> count(md.getProcedureColumns(null, "jsm", "%", "%")) + " rows");
    Checks.check("getFunctions", () -> count(md.getFunctions(null, "jsm", "%")) + " rows");
    Checks.check("getFunctionColumns", () -> count(md.getFunctionColumns(null, "jsm", "%", "%")) + " rows");
    Checks.check("getClientInfoProperties", () -> count(md.getClientInfoProperties()) + " rows");
    Checks.check("identifierCase", () -> {
      Checks.require(md.storesLowerCaseIdentifiers(), "storesLowerCaseIdentifiers");
      return md.getIdentifierQuoteString();
    });

    // Prepared statement past prepareThreshold (5): pgjdbc switches to a named server statement and binary results.
    Checks.check("preparedPastThreshold", () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT requestid, createddate, servicedeskid FROM requests WHERE servicedeskid = ? ORDER BY requestid")) {
        int rows = -1;
        for (int i = 0; i < 8; i++) {
          ps.setString(1, "1");
          int n = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Checks.require("1".equals(rs.getString(3)), "wrong desk " + rs.getString(3));
              Checks.require(rs.getTimestamp(2) != null, "null createddate");
              n++;
            }
          }
          Checks.require(rows < 0 || rows == n, "run " + i + " returned " + n + " rows, first run " + rows);
          rows = n;
        }
        Checks.require(rows > 0, "no rows");
        Checks.require(ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare(), "not server-prepared after 8 runs");
        return rows + " rows x 8";
      }
    });
    Checks.check("preparedIntegerParamBinary", () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM requests WHERE requestid::int > ?")) {
        long last = -1;
        for (int i = 0; i < 7; i++) {
          ps.setInt(1, 10010);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            Checks.require(last < 0 || last == n, "count changed " + last + " -> " + n);
            last = n;
          }
        }
        Checks.require(last > 0, "count " + last);
        return last + "";
      }
    });

    // setFetchSize with autocommit off: pgjdbc uses a named portal and Execute with a row limit (PortalSuspended).
    Checks.check("fetchSizePortalSuspension", () -> {
      int total;
      try (Statement st = conn.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM requests")) {
          rs.next();
          total = rs.getInt(1);
        }
      }
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.setFetchSize(7);
        int n = 0;
        Set<String> ids = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT requestid, summary FROM requests ORDER BY createddate")) {
          while (rs.next()) {
            ids.add(rs.getString(1));
            n++;
          }
        }
        Checks.require(n == total && ids.size() == total, "fetched " + n + " of " + total);
        conn.commit();
        return n + " rows in batches of 7";
      } finally {
        conn.setAutoCommit(true);
      }
    });
    Checks.check("fetchSizePreparedInTransaction", () -> {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = conn.prepareStatement("SELECT requestid FROM requests WHERE servicedeskid = ?")) {
        ps.setFetchSize(3);
        ps.setString(1, "2");
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) n++;
        }
        Checks.require(n > 3, "rows " + n);
        conn.commit();
        return n + " rows";
      } finally {
        conn.setAutoCommit(true);
      }
    });

    // Types read back typed, in text (first runs) and binary (past the threshold) formats.
    Checks.check("typedValues", () -> {
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT createddate, currentstatuscategory = 'DONE' AS done, requestid::int AS n, createddate::date AS d FROM requests WHERE requestid = ?")) {
        String first = null;
        for (int i = 0; i < 7; i++) {
          ps.setString(1, "10001");
          try (ResultSet rs = ps.executeQuery()) {
            Checks.require(rs.next(), "request 10001 missing");
            Object ts = rs.getObject(1);
            Object done = rs.getObject(2);
            Checks.require(ts instanceof Timestamp, "createddate is " + (ts == null ? null : ts.getClass()));
            Checks.require(done instanceof Boolean, "done is " + (done == null ? null : done.getClass()));
            Checks.require(rs.getObject(3) instanceof Integer, "n is " + rs.getObject(3).getClass());
            Checks.require(rs.getObject(4) instanceof java.sql.Date, "d is " + rs.getObject(4).getClass());
            Checks.require(rs.getMetaData().getColumnType(1) == Types.TIMESTAMP || rs.getMetaData().getColumnType(1) == Types.TIMESTAMP_WITH_TIMEZONE, "column type");
            java.time.OffsetDateTime odt = rs.getObject(1, java.time.OffsetDateTime.class);
            String s = odt.toInstant() + " " + done;
            Checks.require(first == null || first.equals(s), "run " + i + " read " + s + ", first " + first);
            first = s;
          }
        }
        return first;
      }
    });
    Checks.check("booleanLiteralAndNull", () -> {
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT true AS t, false AS f, NULL::boolean AS n, now() AS ts")) {
        rs.next();
        Checks.require(rs.getBoolean(1) && !rs.getBoolean(2), "booleans");
        rs.getBoolean(3);
        Checks.require(rs.wasNull(), "null boolean");
        Checks.require(rs.getTimestamp(4) != null, "now()");
        return "true false null";
      }
    });

    // Errors leave the connection usable.
    Checks.check("errorThenContinue", () -> {
      try (Statement st = conn.createStatement()) {
        try {
          st.executeQuery("SELECT * FROM no_such_table");
          throw new AssertionError("no error for an unknown table");
        } catch (SQLException e) {
          Checks.require("42P01".equals(e.getSQLState()), "state " + e.getSQLState());
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM servicedesks")) {
          rs.next();
          return rs.getInt(1) + " desks after the error";
        }
      }
    });
    conn.close();
    System.out.println("done");
  }
}
