package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the {@link IllegalArgumentException} of a core configuration builder into an
 * {@link InvalidConfigurationPropertyValueException} that names the {@code anet.*} key. The core's
 * builders name the option first in their messages ({@code "capacity must be greater than 0 but
 * was 0"}) and their options are named like the properties ({@code capacity} is
 * {@code anet.pool.capacity}).
 */
final class InvalidAnetProperty {

	private InvalidAnetProperty() {
	}

	/**
	 * Build a core configuration from properties alone, failing with the key of a bad value.
	 * @param <T> the configuration type
	 * @param prefix the properties' prefix, such as {@code anet.pool}
	 * @param properties the properties the configuration was mapped from
	 * @param build builds the configuration
	 * @return the configuration
	 * @throws InvalidConfigurationPropertyValueException if the builder refused a value
	 */
	static <T> T build(String prefix, Object properties, Supplier<T> build) {
		try {
			return build.get();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw of(prefix, properties, ex);
		}
	}

	private static InvalidConfigurationPropertyValueException of(String prefix, Object properties, RuntimeException ex) {
		String message = String.valueOf(ex.getMessage());
		int space = message.indexOf(' ');
		String option = (space > 0) ? message.substring(0, space) : message;
		BeanWrapper wrapper = new BeanWrapperImpl(properties);
		if (space > 0 && wrapper.isReadableProperty(option)) {
			Object value = wrapper.getPropertyValue(option);
			String reason = message.substring(space + 1);
			if (value instanceof Duration duration) {
				// as a user writes it (500ms), not as Duration prints it (PT0.5S)
				value = format(duration);
				reason = reason.replace(duration.toString(), (String) value);
			}
			return new InvalidConfigurationPropertyValueException(prefix + "." + kebab(option), value,
					sentence(reason), ex);
		}
		return new InvalidConfigurationPropertyValueException(prefix, null, sentence(message), ex);
	}

	/**
	 * Format a duration as in a properties file: {@code 5s}, {@code 500ms}, {@code 1500ns}.
	 * @param duration the duration
	 * @return the text
	 */
	static String format(Duration duration) {
		// one rule for the core's messages and the properties'
		return dev.anet.internal.Checks.format(duration);
	}

	static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	static String sentence(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty()) {
			return trimmed;
		}
		String capitalized = Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
		return capitalized.endsWith(".") ? capitalized : capitalized + ".";
	}

}
