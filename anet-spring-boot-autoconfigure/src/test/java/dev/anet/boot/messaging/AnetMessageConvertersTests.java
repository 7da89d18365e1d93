package dev.anet.boot.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link AnetMessageConverters} and the built-in converters.
 */
class AnetMessageConvertersTests {

	@Test
	void whenStringsAreConvertedThenAsciiIsTheDefault() {
		AnetMessageConverters converters = AnetMessageConverters.defaults();
		assertThat(converters.toBody("NC00")).containsExactly('N', 'C', '0', '0');
		assertThat(converters.fromBody(new byte[] { 'N', 'D' }, String.class)).isEqualTo("ND");
	}

	@Test
	void whenAStringHasACharacterTheCharsetLacksThenConversionFailsInsteadOfSendingAQuestionMark() {
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> AnetMessageConverters.defaults().toBody("caf\u00e9"))
			.withMessageContaining("US-ASCII");
	}

	@Test
	void whenTheCharsetIsUtf8ThenStringsRoundTrip() {
		AnetMessageConverters converters = AnetMessageConverters.withDefaults(List.of(),
				new StringMessageConverter(StandardCharsets.UTF_8));
		assertThat(converters.fromBody(converters.toBody("caf\u00e9"), String.class)).isEqualTo("caf\u00e9");
	}

	@Test
	void whenBytesAreConvertedThenTheyAreTheSameArray() {
		byte[] body = { 1, 2, 3 };
		AnetMessageConverters converters = AnetMessageConverters.defaults();
		assertThat(converters.toBody(body)).isSameAs(body);
		assertThat(converters.fromBody(body, byte[].class)).isSameAs(body);
	}

	@Test
	void whenAnApplicationConverterIsGivenThenItIsAskedBeforeTheBuiltIns() {
		AnetMessageConverters converters = AnetMessageConverters.withDefaults(List.of(new UpperStringConverter()),
				new StringMessageConverter());
		assertThat(converters.toBody("nc")).containsExactly('N', 'C');
	}

	@Test
	void whenNoConverterConvertsATypeThenTheMessageSaysWhatToDo() {
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> AnetMessageConverters.defaults().fromBody(new byte[0], Integer.class))
			.withMessageContaining("No AnetMessageConverter converts java.lang.Integer")
			.withMessageContaining("declare an AnetMessageConverter bean");
	}

	static class UpperStringConverter implements AnetMessageConverter {

		@Override
		public boolean canConvert(Class<?> type) {
			return type == String.class;
		}

		@Override
		public byte[] toBody(Object message) {
			return ((String) message).toUpperCase().getBytes(StandardCharsets.US_ASCII);
		}

		@Override
		public <T> T fromBody(byte[] body, Class<T> type) {
			return type.cast(new String(body, StandardCharsets.US_ASCII));
		}

	}

}
