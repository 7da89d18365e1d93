/**
 * JMH benchmarks of anet-core: framing, the connection pool and a broker round trip over loopback.
 * Run them from the shaded jar: {@code java -cp target/anet-benchmarks.jar org.openjdk.jmh.Main -prof gc}.
 */
@NullMarked
package dev.anet.bench.jmh;

import org.jspecify.annotations.NullMarked;
