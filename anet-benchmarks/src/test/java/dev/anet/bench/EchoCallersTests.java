package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link EchoCallers} that need no server (the smoke tests of {@code soak} and
 * {@code idle} run it against one).
 */
class EchoCallersTests {

	@Test
	void whenTheDeadlineHasPassedThenNoRequestStartsAndNoCallerCountsAsStuck() throws InterruptedException {
		StringWriter err = new StringWriter();
		// nothing listens on port 1, and nothing is dialled: no request may start
		try (Broker broker = new Broker(PoolGroup.of(List.of("127.0.0.1:1"), PoolConfig.defaults()),
				BrokerConfig.defaults())) {
			EchoCallers callers = new EchoCallers(broker, 16, 64, TimeUnit.SECONDS.toNanos(1), new PrintWriter(err, true));
			EchoCallers.Outcome outcome = callers.run(1000, System.nanoTime() - TimeUnit.SECONDS.toNanos(10));
			assertThat(outcome.requests()).isZero();
			assertThat(outcome.errors()).isZero();
		}
		assertThat(err.toString()).isEmpty();
	}

	@Test
	void whenThePayloadCannotHoldTheCallerAndRequestNumbersThenItIsRefused() {
		try (Broker broker = new Broker(PoolGroup.of(List.of("127.0.0.1:1"), PoolConfig.defaults()),
				BrokerConfig.defaults())) {
			assertThatIllegalArgumentException().isThrownBy(() -> new EchoCallers(broker, 1, 11, 1, new PrintWriter(new StringWriter())))
				.withMessage("size must be at least 12 but was 11");
		}
	}

}
