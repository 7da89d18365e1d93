import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Server TLS handshakes: N fresh connections (no session resumption) from T threads to a TLS
 * server, each handshake timed, after W untimed ones that warm both JVMs up; prints handshakes per
 * second and the p50/p99 handshake time of the N.
 *
 *   java scripts/Handshakes.java PORT CERT_DIR [N=1000] [THREADS=4] [WARMUP=0]
 *
 * CERT_DIR is the peers' certificate folder (truststore.p12, password changeit). Start the server
 * first, e.g. java -jar target/anet-benchmarks.jar server --port 19900 --tls --tls-dir CERT_DIR.
 */
public class Handshakes {

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		Path dir = Path.of(args[1]);
		int n = (args.length > 2) ? Integer.parseInt(args[2]) : 1000;
		int threads = (args.length > 3) ? Integer.parseInt(args[3]) : 4;
		int warmup = (args.length > 4) ? Integer.parseInt(args[4]) : 0;
		KeyStore trust = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(dir.resolve("truststore.p12"))) {
			trust.load(in, "changeit".toCharArray());
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, tmf.getTrustManagers(), null);
		if (warmup > 0) {
			run(context, port, new long[warmup], threads, new AtomicInteger(), "warm");
		}
		long[] nanos = new long[n];
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		run(context, port, nanos, threads, failed, "timed");
		double seconds = (System.nanoTime() - start) / 1e9;
		long[] ok = Arrays.stream(nanos).filter((v) -> v > 0).sorted().toArray();
		System.out.printf("{\"handshakes\":%d,\"failed\":%d,\"seconds\":%.3f,\"per_second\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}%n",
				ok.length, failed.get(), seconds, ok.length / seconds, ok[ok.length / 2] / 1e6,
				ok[(int) (ok.length * 0.99)] / 1e6);
	}

	private static void run(SSLContext context, int port, long[] nanos, int threads, AtomicInteger failed,
			String round) throws InterruptedException {
		int n = nanos.length;
		AtomicInteger next = new AtomicInteger();
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			workers[t] = new Thread(() -> {
				for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
					try {
						long began = System.nanoTime();
						try (Socket raw = new Socket()) {
							raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
							// the client caches sessions by peer host and port: a host name of its own
							// per connection means no session to resume, a full handshake each time
							SSLSocket socket = (SSLSocket) context.getSocketFactory()
								.createSocket(raw, round + "-" + i + ".invalid", port, true);
							socket.setEnabledProtocols(new String[] { "TLSv1.3" });
							socket.startHandshake();
							nanos[i] = System.nanoTime() - began;
						}
					}
					catch (Exception ex) {
						failed.incrementAndGet();
					}
				}
			});
			workers[t].start();
		}
		for (Thread worker : workers) {
			worker.join();
		}
	}

}
