import java.io.*;
import java.lang.management.*;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import javax.net.ssl.*;

/**
 * One TLS 1.3 record wrapped by a client SSLEngine and unwrapped by a server SSLEngine in memory,
 * with the record buffers on the heap or direct (the application buffers direct, as anet's), for
 * 70 B, 1,800 B and 16 KiB records: CPU time per record (ThreadMXBean, so that other processes on
 * a shared machine count less than in wall time) and bytes allocated per record, three rounds of
 * each kind in turn (read the last). See anet-benchmarks/README.md, "TLS".
 *
 *   java scripts/GcmBuffers.java CERT_DIR [SUITE]     (CERT_DIR: the peers' make-certs.sh folder)
 */
public class GcmBuffers {
	static SSLContext ctx(String dir) throws Exception {
		char[] pw = "changeit".toCharArray();
		KeyStore ks = KeyStore.getInstance("PKCS12");
		try (var in = new FileInputStream(dir + "/server.p12")) { ks.load(in, pw); }
		KeyStore ts = KeyStore.getInstance("PKCS12");
		try (var in = new FileInputStream(dir + "/truststore.p12")) { ts.load(in, pw); }
		KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX"); kmf.init(ks, pw);
		TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX"); tmf.init(ts);
		SSLContext c = SSLContext.getInstance("TLS"); c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
		return c;
	}
	static ByteBuffer buf(boolean direct, int n) { return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n); }
	public static void main(String[] a) throws Exception {
		SSLContext c = ctx(a[0]);
		String suite = a.length > 1 ? a[1] : null;
		int[] sizes = {70, 1800, 16384};
		for (String combo : new String[] {"hd", "dd", "hd", "dd", "hd", "dd"}) { boolean direct = combo.charAt(0) == 'd', appDirect = combo.charAt(1) == 'd';
			SSLEngine cl = c.createSSLEngine("localhost", 1); cl.setUseClientMode(true);
			SSLEngine sv = c.createSSLEngine(); sv.setUseClientMode(false);
			if (suite != null) { cl.setEnabledCipherSuites(new String[] {suite}); }
			int pkt = cl.getSession().getPacketBufferSize() * 4;
			ByteBuffer c2s = buf(direct, pkt), s2c = buf(direct, pkt), app = buf(appDirect, 1 << 17), src = buf(appDirect, 1 << 17);
			cl.beginHandshake(); sv.beginHandshake();
			c2s.clear(); s2c.clear();
			for (int i = 0; i < 1000; i++) {
				boolean a1 = step(cl, c2s, s2c, app), a2 = step(sv, s2c, c2s, app);
				if (cl.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && sv.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && !a1 && !a2 && i > 10) break;
			}
			c2s.clear(); s2c.clear();
			com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
			StringBuilder sb = new StringBuilder("net " + (direct ? "direct " : "heap   ") + "app " + (appDirect ? "direct " : "heap   ")).append(cl.getSession().getCipherSuite()).append(':');
			for (int size : sizes) {
				int iters = 200_000_00 / (size + 200);
				long bytes = 0, t0 = 0, a0 = 0;
				for (int round = 0; round < 2; round++) {
					t0 = mx.getCurrentThreadCpuTime(); a0 = mx.getCurrentThreadAllocatedBytes();
					for (int i = 0; i < iters; i++) {
						src.clear(); src.limit(size); c2s.clear();
						cl.wrap(src, c2s); c2s.flip(); app.clear();
						sv.unwrap(c2s, app);
						bytes += app.position();
					}
				}
				long ns = mx.getCurrentThreadCpuTime() - t0, alloc = mx.getCurrentThreadAllocatedBytes() - a0;
				sb.append(String.format("  %5d B: %6.0f ns/rec %5.0f B/rec", size, (double) ns / iters, (double) alloc / iters));
			}
			System.out.println(sb);
		}
	}
	static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
	/** out: this engine's output (write mode); in: peer's output (write mode). */
	static boolean step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
		boolean did = false;
		Runnable t; while ((t = e.getDelegatedTask()) != null) { t.run(); did = true; }
		if (e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) { e.wrap(EMPTY, out); did = true; }
		in.flip();
		while (in.hasRemaining()) {
			app.clear(); SSLEngineResult r = e.unwrap(in, app);
			while ((t = e.getDelegatedTask()) != null) t.run();
			did = true;
			if (r.getStatus() != SSLEngineResult.Status.OK) break;
			if (e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) break;
		}
		in.compact();
		return did;
	}
}
