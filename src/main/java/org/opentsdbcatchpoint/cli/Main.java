package org.opentsdbcatchpoint.cli;

/**
 * The jar's command line ({@code java -jar opentsdb-catchpoint.jar ...}), outside any TSD: it uses the
 * JDK alone, since none of the TSD's libraries (OpenTSDB, Netty, Jackson, slf4j) are on the class path
 * of {@code java -jar}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args));
  }

  static int run(String[] args) throws InterruptedException {
    if (args.length == 0 || !args[0].equals("import")) {
      System.err.println("opentsdb-catchpoint: a plugin for OpenTSDB (see its README); as a command it knows one:");
      System.err.print(ImportCommand.USAGE);
      return 2;
    }
    java.util.Map<String, String> o = ImportCommand.options(args, 1, System.err);
    if (o == null) {
      return 2;
    }
    String token = ImportCommand.token(o, System::getenv);
    if (token == null || token.isEmpty()) {
      System.err.println("import: no admin token: set " + o.getOrDefault("token-env", ImportCommand.TOKEN_ENV)
          + " to the TSD's tsd.plugin.catchpoint.pull.admin_token (or give --token)");
      return 2;
    }
    // A console that is a terminal redraws one bar; a pipe or a file gets plain lines.
    boolean terminal = System.console() != null && !o.containsKey("plain");
    ImportCommand c = new ImportCommand(System.out, terminal,
        ImportCommand.http(o.getOrDefault("tsd", "http://127.0.0.1:4242"), token), Thread::sleep,
        System::currentTimeMillis);
    return c.run(o);
  }
}
