package dev.anet.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag: a number of milliseconds ({@code 250}), a number with a unit
 * ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 1500us}) or an ISO-8601 duration ({@code PT2S}).
 */
final class DurationConverter implements ITypeConverter<Duration> {

	@Override
	public Duration convert(String value) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		try {
			if (text.startsWith("pt") || text.startsWith("p")) {
				return Duration.parse(value.trim());
			}
			if (text.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
			}
			if (text.endsWith("us")) {
				return Duration.ofNanos(Math.multiplyExact(Long.parseLong(text.substring(0, text.length() - 2)), 1000L));
			}
			if (text.endsWith("s")) {
				return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
			}
			if (text.endsWith("m")) {
				return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
			}
			return Duration.ofMillis(Long.parseLong(text));
		}
		catch (NumberFormatException | DateTimeParseException | ArithmeticException ex) {
			throw new TypeConversionException("'" + value
					+ "' is not a duration: give milliseconds (250), a unit (250ms, 2s, 1m, 1500us) or ISO-8601 (PT2S)");
		}
	}

}
