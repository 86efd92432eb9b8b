package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * nginx (Debian package {@code nginx}) as a load balancer of the test's own: its own prefix, configuration, pid
 * file, logs and temporary folders in a private folder, on a free loopback port, round-robin over the given
 * upstream ports, never the machine's nginx service. Configured as {@code bench/cluster.sh} configures it: a
 * refused connection (an instance that is down) is tried on the next instance; a request already sent to an
 * instance is not sent again (nginx never repeats a POST), so the client sees 502 and retries it itself. No
 * keep-alive connections to the instances: a request sent on an idle connection to an instance that just died
 * would fail too (nginx cannot repeat it), though it was never in flight there.
 */
public final class PrivateNginx extends PrivateService {
    private final List<Integer> upstreams;
    private Process process;

    public PrivateNginx(List<Integer> upstreams) {
        super("nginx");
        this.upstreams = List.copyOf(upstreams);
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("nginx.conf"), config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private String config() {
        String servers = upstreams.stream()
                .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n"));
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 512; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream weft {
                %2$s
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://weft;
                      proxy_next_upstream error timeout;
                      proxy_connect_timeout 1s;
                      proxy_read_timeout 30s;
                    }
                  }
                }
                """.formatted(dir, servers, port);
    }

    /** nginx's error log (warnings and up: upstreams that failed, requests answered 502), for a failing test. */
    public Path errorLog() {
        return dir.resolve("logs/error.log");
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        // -p: the prefix (relative paths, the default error log before the configuration is read); -e: that log.
        process = launch(List.of("nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("logs/startup.log").toString(), "-g", "daemon off;"), dir.resolve("nginx.out"));
        awaitPort(true, Duration.ofSeconds(20), process);
    }

    @Override
    public synchronized void stop() {
        terminate(process, Duration.ofSeconds(10)); // SIGTERM: fast shutdown of master and worker
    }

    /** The worker too: a worker whose master was killed with -9 would keep the port. */
    @Override
    protected void kill() {
        Process running = process;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        super.kill();
    }

    @Override
    protected Optional<Long> serverPid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    @Override
    protected String executable() {
        return "nginx";
    }
}
