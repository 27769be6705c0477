import java.lang.reflect.Field;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 rather than every interface, which its command line
 * cannot ask for: the server is built exactly as `java -jar DynamoDBLocal.jar <args>` builds it,
 * then its Jetty connector is given the loopback host before it starts listening. Reflection keeps
 * this file compilable without the jar, so it compiles in about a second and is cached.
 *
 * It also exits when its standard input closes, i.e. when the Node process that started it dies,
 * even by `kill -9`: no orphaned JVM keeps the port and the database file.
 */
public final class DynamoDbLocalOnLoopback {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy =
        runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, LOOPBACK);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    System.out.println("DynamoDB Local listening on " + LOOPBACK);
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // discard: the parent never writes, it only holds the pipe open
        }
      } catch (Exception ignored) {
        // a broken pipe means the parent is gone too
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.start();
  }
}
