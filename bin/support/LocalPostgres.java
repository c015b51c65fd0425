import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs an embedded PostgreSQL (io.zonky) on a fixed port with a data directory that survives
 * restarts, until the process is stopped. bin/platform starts it when no PostgreSQL server answers:
 *
 *   java -cp <classpath> bin/support/LocalPostgres.java <port> <data-directory>
 */
public class LocalPostgres {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        System.out.println("embedded PostgreSQL ready: " + postgres.getJdbcUrl("postgres", "postgres"));
        stopped.await();
    }
}
