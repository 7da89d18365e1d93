package dev.anet.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.anet.frame.Frames;

/**
 * A long bad-input run without jqwik, for a benchmark command: {@code FuzzRun [cases] [seed]} makes
 * random cases with {@link Random} (same kinds as {@code ServerFuzzTests}: random bytes; runs of
 * valid frames, lengths under 4, frames cut short, the largest frames, bodies that make the handler
 * throw or answer nothing; random chunks and endings) and runs them through one
 * {@link FuzzSession}, then {@link FuzzSession#verify() verifies} it. Exits 1 on the first failure,
 * printing the seed and the case.
 *
 * <pre>
 * java -cp anet-core/target/test-classes:anet-core/target/classes:&lt;test dependencies&gt; \
 *     dev.anet.testsupport.FuzzRun 1000000 42
 * </pre>
 */
public final class FuzzRun {

	private FuzzRun() {
	}

	/**
	 * Make a random case: random bytes, or a run of frames (valid ones, invalid lengths, a frame cut
	 * short), in random chunks, ending at random.
	 * @param random the source
	 * @return the case
	 */
	public static FuzzSession.Case randomCase(Random random) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		if (random.nextInt(4) == 0) {
			byte[] noise = new byte[random.nextInt(300)];
			random.nextBytes(noise);
			bytes.writeBytes(noise);
		}
		else {
			int frames = random.nextInt(12);
			for (int i = 0; i < frames; i++) {
				int kind = random.nextInt(20);
				if (kind == 0) {
					// length under 4: a protocol error
					int length = random.nextInt(4);
					bytes.write(length >> 8);
					bytes.write(length);
					bytes.writeBytes(new byte[length]);
				}
				else if (kind == 1) {
					// cut short: a length that promises more than follows
					bytes.write(0x40);
					bytes.write(random.nextInt(256));
					byte[] part = new byte[random.nextInt(64)];
					random.nextBytes(part);
					bytes.writeBytes(part);
				}
				else {
					byte[] body = new byte[(kind == 2) ? Frames.MAX_BODY_SIZE - random.nextInt(2) : random.nextInt(200)];
					random.nextBytes(body);
					if (body.length > 0 && random.nextInt(5) == 0) {
						body[0] = (byte) (random.nextBoolean() ? 'T' : 'N');
					}
					bytes.writeBytes(Frames.encode(random.nextInt(), body));
				}
			}
		}
		byte[] all = bytes.toByteArray();
		List<Integer> chunks = new ArrayList<>();
		for (int i = random.nextInt(4); i > 0; i--) {
			chunks.add(1 + random.nextInt(Math.max(1, all.length)));
		}
		return new FuzzSession.Case(all, chunks,
				FuzzSession.Ending.values()[random.nextInt(FuzzSession.Ending.values().length)]);
	}

	/**
	 * Run a long session: {@code FuzzRun [cases] [seed]} (defaults 1000000 and a random seed),
	 * printing progress every 100,000 cases and the figures at the end; exits non-zero on a failure.
	 * @param args the number of cases and the seed
	 * @throws IOException if the session cannot start
	 */
	public static void main(String[] args) throws IOException {
		long total = (args.length > 0) ? Long.parseLong(args[0]) : 1_000_000;
		long seed = (args.length > 1) ? Long.parseLong(args[1]) : new Random().nextLong();
		Random random = new Random(seed);
		long start = System.nanoTime();
		try (FuzzSession session = new FuzzSession()) {
			for (long i = 0; i < total; i++) {
				FuzzSession.Case c = randomCase(random);
				try {
					session.run(c);
				}
				catch (RuntimeException | AssertionError ex) {
					System.err.println("FAILED at case " + i + " (seed " + seed + "): " + c);
					ex.printStackTrace();
					System.exit(1);
				}
				if ((i + 1) % 100_000 == 0) {
					System.out.printf("%,d cases, %d server threads (baseline %d + handlers), %.0f s%n", i + 1,
							session.serverThreads(), session.baselineThreads(), (System.nanoTime() - start) / 1e9);
				}
			}
			session.verify();
			System.out.printf("%,d cases passed (seed %d) in %.0f s; server threads back to the baseline of %d%n", total,
					seed, (System.nanoTime() - start) / 1e9, session.baselineThreads());
		}
	}

}
