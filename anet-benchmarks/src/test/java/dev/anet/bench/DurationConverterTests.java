package dev.anet.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DurationConverterTests {

	private final DurationConverter converter = new DurationConverter();

	@Test
	void whenANumberHasNoUnitThenItIsMilliseconds() {
		assertThat(this.converter.convert("250")).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void whenANumberHasAUnitThenItIsRead() {
		assertThat(this.converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
		assertThat(this.converter.convert("1500us")).isEqualTo(Duration.ofNanos(1_500_000));
		assertThat(this.converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.converter.convert("0.5s")).isEqualTo(Duration.ofMillis(500));
		assertThat(this.converter.convert("1m")).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void whenTheTextIsIsoThenItIsRead() {
		assertThat(this.converter.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void whenTheTextIsNoDurationThenTheMessageSaysWhatIsAccepted() {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.converter.convert("soon"))
			.withMessageContaining("'soon' is not a duration");
	}

}
