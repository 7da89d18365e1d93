package dev.anet.boot.observation;

import java.util.Iterator;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The key values of an anet observation context, kept as two {@link KeyValues} (sorted, one value
 * a key, the last added wins: as {@link io.micrometer.observation.Observation.Context} has them)
 * instead of the context's own two maps. The convention's sets are made once and kept
 * ({@link DefaultAnetBrokerObservationConvention}), so storing them costs nothing, and reading them
 * (the meter handler does at the start and the stop) hands out the stored set instead of copying a
 * map into a new sorted array each time. Writes are serialised; reads see the last write.
 */
final class ContextKeyValues {

	private static final KeyValues EMPTY = KeyValues.empty();

	private volatile KeyValues low = EMPTY;

	private volatile KeyValues high = EMPTY;

	KeyValues low() {
		return this.low;
	}

	KeyValues high() {
		return this.high;
	}

	synchronized void addLow(KeyValue keyValue) {
		this.low = this.low.and(keyValue);
	}

	synchronized void addHigh(KeyValue keyValue) {
		this.high = this.high.and(keyValue);
	}

	synchronized void addLow(KeyValues keyValues) {
		this.low = merge(this.low, keyValues);
	}

	synchronized void addHigh(KeyValues keyValues) {
		this.high = merge(this.high, keyValues);
	}

	synchronized void removeLow(String key) {
		this.low = remove(this.low, key);
	}

	synchronized void removeHigh(String key) {
		this.high = remove(this.high, key);
	}

	static @Nullable KeyValue find(KeyValues keyValues, String key) {
		for (KeyValue keyValue : keyValues) {
			if (keyValue.getKey().equals(key)) {
				return keyValue;
			}
		}
		return null;
	}

	/** {@code current.and(added)}, without a copy when one of them holds every key. */
	private static KeyValues merge(KeyValues current, KeyValues added) {
		if (current == added || isEmpty(added)) {
			return current;
		}
		if (isEmpty(current) || hasEveryKey(added, current)) {
			return added;
		}
		return current.and(added);
	}

	private static boolean isEmpty(KeyValues keyValues) {
		return keyValues == EMPTY || EMPTY.equals(keyValues);
	}

	/** Whether {@code all} has every key of {@code some} (both sorted by key). */
	private static boolean hasEveryKey(KeyValues all, KeyValues some) {
		Iterator<KeyValue> keys = all.iterator();
		for (KeyValue wanted : some) {
			boolean found = false;
			while (keys.hasNext()) {
				int order = keys.next().getKey().compareTo(wanted.getKey());
				if (order == 0) {
					found = true;
					break;
				}
				if (order > 0) {
					return false;
				}
			}
			if (!found) {
				return false;
			}
		}
		return true;
	}

	private static KeyValues remove(KeyValues keyValues, String key) {
		if (find(keyValues, key) == null) {
			return keyValues;
		}
		return KeyValues.of(keyValues.stream().filter((keyValue) -> !keyValue.getKey().equals(key)).toList());
	}

}
