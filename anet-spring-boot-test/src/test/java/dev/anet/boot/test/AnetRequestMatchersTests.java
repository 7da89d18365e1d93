package dev.anet.boot.test;

import org.junit.jupiter.api.Test;

import static dev.anet.boot.test.AnetRequestMatchers.anyRequest;
import static dev.anet.boot.test.AnetRequestMatchers.bytes;
import static dev.anet.boot.test.AnetRequestMatchers.hex;
import static dev.anet.boot.test.AnetRequestMatchers.matching;
import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static dev.anet.boot.test.AnetRequestMatchers.prefixHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AnetRequestMatchers} and {@link ExpectedCount}, without a server.
 */
class AnetRequestMatchersTests {

	private static final byte[] A0 = { 'A', '0', 0x01 };

	@Test
	void whenMatchingThenPrefixesAndExactBodiesAreTold() {
		assertThat(prefix("A0").matches(A0)).isTrue();
		assertThat(prefix("A0x").matches(A0)).isFalse();
		assertThat(prefix(new byte[] { 'A' }).matches(A0)).isTrue();
		assertThat(prefixHex("4130").matches(A0)).isTrue();
		assertThat(hex("413001").matches(A0)).isTrue();
		assertThat(hex("4130").matches(A0)).as("hex is the whole body").isFalse();
		assertThat(bytes("A0").matches(A0)).isFalse();
		assertThat(bytes(A0.clone()).matches(A0)).isTrue();
		assertThat(anyRequest().matches(new byte[0])).isTrue();
		assertThat(matching((request) -> request.length == 3, "three bytes").matches(A0)).isTrue();
	}

	@Test
	void whenDescribedThenMatchersShowHexAndAscii() {
		assertThat(prefix("A0")).hasToString("prefix 4130 \"A0\"");
		assertThat(hex("0200")).hasToString("hex 0200 \"..\"");
		assertThat(bytes("NC00")).hasToString("bytes 4e433030 \"NC00\"");
		assertThat(matching((request) -> true, "a PIN block")).hasToString("a PIN block");
	}

	@Test
	void whenHexIsNotHexThenTheMatcherIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> hex("020"))
			.withMessage("'020' is not an even number of hex digits");
	}

	@Test
	void whenACountIsImpossibleThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ExpectedCount.times(0))
			.withMessage("count must be 0 <= min <= max and max > 0 but was min=0, max=0");
		assertThatIllegalArgumentException().isThrownBy(() -> ExpectedCount.between(3, 2));
		assertThat(ExpectedCount.once()).hasToString("1 time");
		assertThat(ExpectedCount.between(1, 3)).hasToString("between 1 and 3 times");
		assertThat(ExpectedCount.manyTimes()).hasToString("any number of times");
	}

}
