package dev.anet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Heap and thread figures of this JVM for the {@code soak} command: the used heap as it is, the used
 * heap after full collections, and the live thread count.
 *
 * <p>{@link #usedAfterGc()} relies on {@link System#gc()} being a full, stop-the-world collection
 * (the HotSpot default). {@link #explicitGcProblem()} tells when the JVM was started with
 * {@code -XX:+DisableExplicitGC} or {@code -XX:+ExplicitGCInvokesConcurrent}, which would make the
 * figure meaningless.
 */
final class HeapProbe {

	/** Most collections {@link #usedAfterGc()} runs before it takes what it has. */
	private static final int MAX_COLLECTIONS = 6;

	/** Two readings this close (relative) in a row count as settled. */
	private static final double SETTLED = 0.005;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	/**
	 * Return the used heap, without collecting.
	 * @return bytes
	 */
	long used() {
		return this.memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Collect until the used heap settles (two readings within 0.5 %, at least three collections,
	 * at most six), 100 ms apart so that cleaners and reference processing can run in between.
	 * @return the used heap after the last collection, in bytes
	 */
	long usedAfterGc() {
		long previous = -1;
		long used = 0;
		for (int i = 0; i < MAX_COLLECTIONS; i++) {
			System.gc();
			used = used();
			if (i >= 2 && previous >= 0 && Math.abs(used - previous) <= SETTLED * previous) {
				break;
			}
			previous = used;
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
		}
		return used;
	}

	/**
	 * Return the most heap this JVM may use.
	 * @return bytes ({@code -Xmx})
	 */
	long max() {
		return this.memory.getHeapMemoryUsage().getMax();
	}

	/**
	 * Return the live platform threads of this JVM (virtual threads are not counted).
	 * @return the count
	 */
	int threads() {
		return this.threads.getThreadCount();
	}

	/**
	 * Return the live platform threads by role: their names with every number replaced by
	 * {@code N} ({@code anet-handler-N}, {@code anet-conn-N.N.N.N:N-reader}), counted.
	 * @return count by role, sorted by role
	 */
	static SortedMap<String, Integer> threadsByRole() {
		SortedMap<String, Integer> roles = new TreeMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			roles.merge(thread.getName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
		}
		return roles;
	}

	/**
	 * Describe how the threads by role changed, e.g. {@code anet-handler-N 4 -> 6}.
	 * @param before {@link #threadsByRole()} then
	 * @param after {@link #threadsByRole()} now
	 * @return the roles whose count changed, or {@code "none"}
	 */
	static String threadChanges(Map<String, Integer> before, Map<String, Integer> after) {
		SortedSet<String> roles = new TreeSet<>(before.keySet());
		roles.addAll(after.keySet());
		StringJoiner changes = new StringJoiner(", ");
		for (String role : roles) {
			int was = before.getOrDefault(role, 0);
			int is = after.getOrDefault(role, 0);
			if (was != is) {
				changes.add(role + " " + was + " -> " + is);
			}
		}
		return (changes.length() > 0) ? changes.toString() : "none";
	}

	/**
	 * Return why {@link System#gc()} would not give a full collection here, if it would not.
	 * @return the problem, or {@code null} when explicit collections are full ones
	 */
	static @Nullable String explicitGcProblem() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		if (hotspot == null) {
			return null;
		}
		for (String option : new String[] { "DisableExplicitGC", "ExplicitGCInvokesConcurrent" }) {
			try {
				if ("true".equals(hotspot.getVMOption(option).getValue())) {
					return "-XX:+" + option + " is set: System.gc() does not give a full collection, so the heap after GC "
							+ "cannot be measured; run without it";
				}
			}
			catch (IllegalArgumentException ex) {
				// not a HotSpot option on this VM
			}
		}
		return null;
	}

}
