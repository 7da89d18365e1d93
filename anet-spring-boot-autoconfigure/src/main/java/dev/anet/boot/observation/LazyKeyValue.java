package dev.anet.boot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.docs.KeyName;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyValue} whose value is made when a handler reads it (a tracer tagging its span), not
 * at every request: the meter handler reads only the low-cardinality keys, so with it alone the
 * high-cardinality values (a task id, a size) are never formatted.
 */
abstract class LazyKeyValue implements KeyValue {

	private final String key;

	private @Nullable String value;

	LazyKeyValue(KeyName key) {
		this.key = key.asString();
	}

	/**
	 * Make the value.
	 * @return the value
	 */
	abstract String compute();

	@Override
	public final String getKey() {
		return this.key;
	}

	@Override
	public final String getValue() {
		String value = this.value;
		if (value == null) {
			value = compute();
			this.value = value;
		}
		return value;
	}

	@Override
	public final boolean equals(@Nullable Object other) {
		return this == other || (other instanceof KeyValue keyValue && this.key.equals(keyValue.getKey())
				&& getValue().equals(keyValue.getValue()));
	}

	@Override
	public final int hashCode() {
		return 31 * this.key.hashCode() + getValue().hashCode();
	}

	@Override
	public final String toString() {
		return "tag(" + this.key + "=" + getValue() + ")";
	}

}
