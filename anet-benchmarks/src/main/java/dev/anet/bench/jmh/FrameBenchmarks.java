package dev.anet.bench.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.anet.frame.FrameReader;
import dev.anet.frame.FrameWriter;
import dev.anet.frame.Frames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame encode ({@link FrameWriter}: one frame per write, and a batch of {@value #BATCH} frames in
 * one gathering write) and decode ({@link FrameReader}: {@value #BATCH} frames from one read), at
 * 64 B and 4 KiB bodies. Times are per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmarks {

	static final int BATCH = 16;

	@Param({ "64", "4096" })
	int size;

	private final DiscardChannel channel = new DiscardChannel();

	private FrameWriter writer = new FrameWriter();

	private FrameReader reader = new FrameReader();

	private byte[] body = new byte[0];

	private byte[] encoded = new byte[0];

	private int taskId;

	@Setup
	public void setUp() {
		this.writer = new FrameWriter();
		this.reader = new FrameReader();
		this.body = new byte[this.size];
		new Random(42).nextBytes(this.body);
		ByteBuffer frames = ByteBuffer.allocate(BATCH * (Frames.HEADER_SIZE + this.size));
		for (int i = 0; i < BATCH; i++) {
			frames.put(Frames.encode(i, this.body));
		}
		this.encoded = frames.array();
	}

	@Benchmark
	public long encodeOne() throws IOException {
		this.writer.append(this.taskId++, this.body);
		return this.writer.flush(this.channel);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public long encodeBatch() throws IOException {
		long written = 0;
		for (int i = 0; i < BATCH; i++) {
			if (!this.writer.fits(this.size)) {
				// a full staging buffer (4 KiB bodies): write what is there, as the broker does
				written += this.writer.flush(this.channel);
			}
			this.writer.append(this.taskId++, this.body);
		}
		return written + this.writer.flush(this.channel);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void decodeBatch(Blackhole blackhole) {
		this.reader.buffer().put(this.encoded);
		this.reader.decode((id, frameBody) -> blackhole.consume(frameBody));
	}

}
