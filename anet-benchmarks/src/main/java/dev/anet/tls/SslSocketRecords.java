package dev.anet.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A prototype record layer for {@link TlsTransport} over the JDK's {@link SSLSocket}, layered on the
 * blocking channel's socket (as pgjdbc and jPOS layer it on a plain socket), to measure it against
 * the {@code SSLEngine} one ({@link EngineRecords}) on the same load. Not part of the library:
 * {@code server} and {@code load --tls-impl socket} install it ({@link #install(boolean)}).
 *
 * <p>A write copies the frames into one array and hands it to the socket's stream (the JDK cuts
 * records of up to 16 KiB and writes each); a read takes what one record gave (the JDK decrypts one
 * record per read) and copies it into the caller's buffer. Limits of the prototype: no
 * non-blocking probe of idle connections ({@link #probeIdle()} only looks whether the socket is
 * open), no partial-record clock, and a handshake timeout cannot tell "not TLS" from slow.
 */
public final class SslSocketRecords implements TlsRecords {

	private final SSLSocket socket;

	private final ReentrantLock writeLock = new ReentrantLock();

	private InputStream in = InputStream.nullInputStream();

	private OutputStream out = OutputStream.nullOutputStream();

	private byte[] readBuffer = new byte[17 * 1024];

	private byte[] writeBuffer = new byte[16 * 1024];

	private SslSocketRecords(SSLSocket socket) {
		this.socket = socket;
	}

	/**
	 * Choose the record layer of every new {@link TlsTransport} of this JVM.
	 * @param socket {@code true}: this prototype; {@code false}: the library's {@code SSLEngine} one
	 */
	public static void install(boolean socket) {
		TlsTransport.records = socket ? SslSocketRecords::create : TlsTransport.RecordsFactory.ENGINE;
	}

	private static TlsRecords create(SocketChannel channel, TlsConfig config, TlsSide side, InetSocketAddress peer,
			String name) {
		SSLSocketFactory factory = config.sslContext().getSocketFactory();
		try {
			SSLSocket socket;
			if (side == TlsSide.CLIENT) {
				socket = (SSLSocket) factory.createSocket(channel.socket(), peer.getHostString(), peer.getPort(), true);
				socket.setUseClientMode(true);
				socket.setSSLParameters(TlsEngines.clientParameters(socket.getSSLParameters(), config, peer));
			}
			else {
				socket = (SSLSocket) factory.createSocket(channel.socket(), null, true);
				socket.setUseClientMode(false);
				socket.setSSLParameters(TlsEngines.serverParameters(socket.getSSLParameters(), config));
			}
			return new SslSocketRecords(socket);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot layer an SSLSocket over " + name + ": " + ex, ex);
		}
	}

	@Override
	public void handshake() throws IOException {
		this.socket.startHandshake();
		this.in = this.socket.getInputStream();
		this.out = this.socket.getOutputStream();
	}

	@Override
	public long handshakeBytesRead() {
		return 0;
	}

	@Override
	public SSLSession session() {
		return this.socket.getSession();
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		if (!dst.hasRemaining()) {
			return 0;
		}
		int n = this.in.read(this.readBuffer, 0, Math.min(this.readBuffer.length, dst.remaining()));
		if (n > 0) {
			dst.put(this.readBuffer, 0, n);
		}
		return n;
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		this.writeLock.lock();
		try {
			int total = 0;
			for (int i = offset; i < offset + length; i++) {
				total += srcs[i].remaining();
			}
			if (this.writeBuffer.length < total) {
				this.writeBuffer = new byte[Math.max(total, 2 * this.writeBuffer.length)];
			}
			int at = 0;
			for (int i = offset; i < offset + length; i++) {
				int n = srcs[i].remaining();
				srcs[i].get(this.writeBuffer, at, n);
				at += n;
			}
			this.out.write(this.writeBuffer, 0, total);
			return total;
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public long write(ByteBuffer src) throws IOException {
		return write(new ByteBuffer[] { src }, 0, 1);
	}

	@Override
	public boolean probeIdle() {
		return !this.socket.isClosed();
	}

	@Override
	public boolean hasPartialInput() {
		return false;
	}

	@Override
	public boolean closeNotify() throws IOException {
		if (!this.writeLock.tryLock()) {
			return false;
		}
		try {
			// sends close_notify and closes the channel below
			this.socket.close();
			return true;
		}
		finally {
			this.writeLock.unlock();
		}
	}

}
