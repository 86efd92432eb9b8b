import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/journal-scale.sh's query plans: EXPLAIN (ANALYZE, BUFFERS) of the very statements Weft runs for each
 * measured request. The SQL is not copied here: Weft's own classes build it (JournalQueries.searchSql, and
 * JournalQueries / DeadDeliveries handed a connection that answers each query with its plan), with parameters
 * taken from the journal. Run with Weft's class path:
 * {@code java -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" bench/JournalScalePlans.java JDBC-URL OUT}.
 * The plans are PostgreSQL's custom plans for those parameters; Weft's prepared statements may get generic plans
 * after their fifth execution.
 */
public class JournalScalePlans {

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "postgres", "")) {
            String pages = one(c, "SELECT LEAST(100, 100 * 2000 / GREATEST(reltuples, 1)) FROM pg_class "
                    + "WHERE relname = 'message'");
            String key = one(c, "SELECT subject FROM message TABLESAMPLE SYSTEM (" + pages + ") LIMIT 1");
            String dead = one(c, "SELECT message_id FROM delivery WHERE status = 'DEAD' ORDER BY message_id "
                    + "OFFSET (SELECT count(*) / 2 FROM delivery WHERE status = 'DEAD') LIMIT 1");
            String order = one(c, "SELECT m.id FROM message m TABLESAMPLE SYSTEM (" + pages + ") WHERE m.type = "
                    + "'ProductionOrder' AND EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id "
                    + "AND d.destination = 'mes') LIMIT 1");
            String any = one(c, "SELECT id FROM message TABLESAMPLE SYSTEM (" + pages + ") LIMIT 1");
            StringBuilder out = new StringBuilder();
            search(c, out, "business key", key, null, null, null, null);
            search(c, out, "DEAD messages (first page)", null, null, null, "DEAD", null);
            search(c, out, "DEAD messages, next page", null, null, null, "DEAD", dead);
            deliveries(c, out, "DEAD deliveries (first page)");
            failures(c, out, "failures (the DEAD deliveries behind /api/failures)");
            search(c, out, "RETRYING messages (first page)", null, null, null, "RETRYING", null);
            search(c, out, "DELIVERED messages (first page)", null, null, null, "DELIVERED", null);
            search(c, out, "type + destination, next page", null, "ProductionOrder", "mes", null, order);
            search(c, out, "type, next page", null, "SalesOrder", null, null, any);
            Files.writeString(Path.of(args[1]), out.toString());
        }
    }

    /** GET /api/messages: JournalQueries.searchSql with the API's default limit (50). */
    static void search(Connection c, StringBuilder out, String title, String key, String type, String destination,
                       String status, String before) throws Exception {
        Class<?> queries = Class.forName("io.weft.journal.JournalQueries");
        Class<?> search = Class.forName("io.weft.journal.JournalQueries$Search");
        Object q = search.getConstructors()[0].newInstance(key, type, null, destination, status, null, null, before, 50);
        Method sql = queries.getDeclaredMethod("searchSql", search, List.class);
        sql.setAccessible(true);
        List<Object> args = new ArrayList<>();
        String text = (String) sql.invoke(null, q, args);
        List<Object[]> binds = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            binds.add(new Object[] {"setObject", i + 1, args.get(i)});
        }
        explain(c, out, title, text, binds);
    }

    /** GET /api/deliveries?status=DEAD: OutboxReads' private static deliveries(Connection, ...) as the API calls it. */
    static void deliveries(Connection c, StringBuilder out, String title) throws Exception {
        Class<?> reads = Class.forName("io.weft.delivery.OutboxReads");
        Method m = reads.getDeclaredMethod("deliveries", Connection.class, String.class, String.class, String.class,
                int.class, boolean.class);
        m.setAccessible(true);
        m.invoke(null, explaining(c, out, title), "d.status = ?", "DEAD", null, 50, false);
    }

    /** GET /api/failures: DeadDeliveries.find(Connection, Filter) with no filter. */
    static void failures(Connection c, StringBuilder out, String title) throws Exception {
        Class<?> dead = Class.forName("io.weft.delivery.DeadDeliveries");
        Class<?> filter = Class.forName("io.weft.delivery.DeadDeliveries$Filter");
        Method m = dead.getDeclaredMethod("find", Connection.class, filter);
        m.setAccessible(true);
        Object none = filter.getConstructors()[0].newInstance(null, null, null, null, null, null, null);
        m.invoke(newInstance(dead), explaining(c, out, title), none);
    }

    static Object newInstance(Class<?> type) throws Exception {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    /** A connection whose prepared statements, when executed, explain themselves on {@code real} instead. */
    static Connection explaining(Connection real, StringBuilder out, String title) {
        InvocationHandler connection = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args.length == 1) {
                return statement(real, out, title, (String) args[0]);
            }
            return invoke(real, method, args);
        };
        return (Connection) Proxy.newProxyInstance(JournalScalePlans.class.getClassLoader(),
                new Class<?>[] {Connection.class}, connection);
    }

    static PreparedStatement statement(Connection real, StringBuilder out, String title, String sql) {
        List<Object[]> binds = new ArrayList<>();
        InvocationHandler statement = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer) {
                binds.add(new Object[] {name, args[0], args[1]});
                return null;
            }
            if (name.equals("executeQuery")) {
                explain(real, out, title, sql, binds);
                return empty();
            }
            if (name.equals("close")) {
                return null;
            }
            throw new UnsupportedOperationException(name);
        };
        return (PreparedStatement) Proxy.newProxyInstance(JournalScalePlans.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, statement);
    }

    static ResultSet empty() {
        return (ResultSet) Proxy.newProxyInstance(JournalScalePlans.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "next" -> false;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static void explain(Connection c, StringBuilder out, String title, String sql, List<Object[]> binds)
            throws Exception {
        out.append("### ").append(title).append("\n\n```sql\n").append(sql).append("\n```\n\nParameters: ");
        for (Object[] b : binds) {
            out.append('$').append(b[1]).append(" = '").append(b[2]).append("' ");
        }
        out.append("\n\n```\n");
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (Object[] b : binds) {
                Method set = PreparedStatement.class.getMethod((String) b[0], int.class, parameterType((String) b[0], b[2]));
                set.invoke(ps, b[1], b[2]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
        }
        out.append("```\n\n");
        System.err.println("plan: " + title);
    }

    static Class<?> parameterType(String setter, Object value) {
        return switch (setter) {
            case "setString" -> String.class;
            case "setLong" -> long.class;
            case "setInt" -> int.class;
            case "setTimestamp" -> java.sql.Timestamp.class;
            default -> Object.class;
        };
    }

    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("nothing for " + sql);
            }
            return rs.getString(1);
        }
    }
}
