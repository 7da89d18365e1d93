package dev.anet.boot.wire;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the shipped {@link WireMasker}s.
 */
class WireMaskerTests {

	private final CardNumberWireMasker cards = new CardNumberWireMasker();

	@Test
	void whenABodyHoldsACardNumberThenOnlyTheFirstSixAndLastFourDigitsAreShown() {
		assertThat(masked(this.cards, "PAN=4111111111111111;AMT=100")).isEqualTo("PAN=411111******1111;AMT=100");
	}

	@Test
	void whenCardNumbersHave13And19DigitsThenTheyAreMasked() {
		assertThat(masked(this.cards, "4222222222222")).isEqualTo("422222***2222");
		assertThat(masked(this.cards, "6011000990139424009")).isEqualTo("601100*********4009");
	}

	@Test
	void whenADigitRunFailsLuhnOrHasTheWrongLengthThenItIsShown() {
		assertThat(masked(this.cards, "4111111111111112")).isEqualTo("4111111111111112");
		assertThat(masked(this.cards, "411111111111")).as("12 digits").isEqualTo("411111111111");
		assertThat(masked(this.cards, "41111111111111111111")).as("20 digits").isEqualTo("41111111111111111111");
	}

	@Test
	void whenNothingIsMaskedThenTheBodyItselfIsReturned() {
		byte[] body = ascii("NC00");
		assertThat(this.cards.mask(body)).isSameAs(body);
	}

	@Test
	void whenABodyIsMaskedThenTheOriginalIsNotChanged() {
		byte[] body = ascii("4111111111111111");
		this.cards.mask(body);
		assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("4111111111111111");
	}

	@Test
	void whenAPrefixMaskerMasksThenEverythingAfterThePrefixIsHidden() {
		assertThat(masked(new PrefixWireMasker(2), "NC0012345")).isEqualTo("NC*******");
		assertThat(masked(new PrefixWireMasker(4), "NC")).isEqualTo("NC");
	}

	private static String masked(WireMasker masker, String body) {
		return new String(masker.mask(ascii(body)), StandardCharsets.US_ASCII);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
