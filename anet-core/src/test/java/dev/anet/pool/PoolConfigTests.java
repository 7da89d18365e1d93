package dev.anet.pool;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link PoolConfig}: defaults, the builder, and values it refuses.
 */
class PoolConfigTests {

	@Test
	void defaultsAreTheDocumentedValues() {
		PoolConfig config = PoolConfig.defaults();

		assertThat(config.capacity()).isEqualTo(8);
		assertThat(config.dialTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(config.validationInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.validationStrategy()).isEqualTo(ValidationStrategy.READ);
		assertThat(config.validationTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.maxValidationAttempts()).isEqualTo(3);
		assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.noDelay()).isTrue();
		assertThat(config).isEqualTo(new PoolConfig(PoolConfig.DEFAULT_CAPACITY, PoolConfig.DEFAULT_DIAL_TIMEOUT,
				PoolConfig.DEFAULT_IDLE_TIMEOUT, PoolConfig.DEFAULT_VALIDATION_INTERVAL,
				PoolConfig.DEFAULT_VALIDATION_STRATEGY, PoolConfig.DEFAULT_VALIDATION_TIMEOUT,
				PoolConfig.DEFAULT_MAX_VALIDATION_ATTEMPTS, PoolConfig.DEFAULT_KEEP_ALIVE_INTERVAL,
				PoolConfig.DEFAULT_NO_DELAY));
	}

	@Test
	void whenOnlySomeOptionsAreSetThenTheOthersKeepTheirDefaults() {
		PoolConfig config = PoolConfig.builder()
			.capacity(32)
			.validationStrategy(ValidationStrategy.PING)
			.noDelay(false)
			.build();

		assertThat(config.capacity()).isEqualTo(32);
		assertThat(config.validationStrategy()).isEqualTo(ValidationStrategy.PING);
		assertThat(config.noDelay()).isFalse();
		assertThat(config.toBuilder().capacity(8).validationStrategy(ValidationStrategy.READ).noDelay(true).build())
			.isEqualTo(PoolConfig.defaults());
	}

	@Test
	void toBuilderCopiesEveryOption() {
		PoolConfig config = new PoolConfig(3, Duration.ofMillis(1500), Duration.ZERO, Duration.ZERO,
				ValidationStrategy.NONE, Duration.ofMillis(20), 7, Duration.ZERO, false);

		assertThat(config.toBuilder().build()).isEqualTo(config);
	}

	@Test
	void zeroTurnsOffIdleTimeoutValidationAndKeepAlive() {
		PoolConfig config = PoolConfig.builder()
			.idleTimeout(Duration.ZERO)
			.validationInterval(Duration.ZERO)
			.keepAliveInterval(Duration.ZERO)
			.build();

		assertThat(config.idleTimeout()).isZero();
		assertThat(config.validationInterval()).isZero();
		assertThat(config.keepAliveInterval()).isZero();
	}

	@Test
	void capacityOfZeroIsRefusedNamingOptionAndValue() {
		assertRefused((b) -> b.capacity(0), "capacity must be greater than 0 but was 0");
		assertRefused((b) -> b.capacity(-3), "capacity must be greater than 0 but was -3");
	}

	@Test
	void zeroOrNegativeTimeoutsAreRefusedNamingOptionAndValue() {
		assertRefused((b) -> b.dialTimeout(Duration.ZERO), "dialTimeout must be greater than 0 but was 0ms");
		assertRefused((b) -> b.dialTimeout(Duration.ofSeconds(-1)), "dialTimeout must be greater than 0 but was -1s");
		assertRefused((b) -> b.validationTimeout(Duration.ZERO),
				"validationTimeout must be greater than 0 but was 0ms");
	}

	@Test
	void negativeDurationsAreRefusedNamingOptionAndValue() {
		assertRefused((b) -> b.idleTimeout(Duration.ofMillis(-5)), "idleTimeout must not be negative but was -5ms");
		assertRefused((b) -> b.validationInterval(Duration.ofSeconds(-30)),
				"validationInterval must not be negative but was -30s");
		assertRefused((b) -> b.keepAliveInterval(Duration.ofSeconds(-1)),
				"keepAliveInterval must not be negative but was -1s");
	}

	@Test
	void zeroValidationAttemptsAreRefusedNamingOptionAndValue() {
		assertRefused((b) -> b.maxValidationAttempts(0), "maxValidationAttempts must be greater than 0 but was 0");
	}

	@Test
	void missingValuesAreRefusedNamingTheOption() {
		assertThatNullPointerException().isThrownBy(() -> PoolConfig.builder().validationStrategy(null).build())
			.withMessage("validationStrategy must not be null");
		assertThatNullPointerException().isThrownBy(() -> PoolConfig.builder().dialTimeout(null).build())
			.withMessage("dialTimeout must not be null");
		assertThatNullPointerException().isThrownBy(() -> PoolConfig.builder().idleTimeout(null).build())
			.withMessage("idleTimeout must not be null");
	}

	private static void assertRefused(UnaryOperator<PoolConfig.Builder> customizer, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> customizer.apply(PoolConfig.builder()).build())
			.withMessage(message);
	}

}
