package dev.anet.broker;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The requests in flight on one connection, by task id: an open-addressing map from {@code int}
 * to {@link Request} with linear probing, so the hot path boxes nothing. Guarded by its own
 * monitor: the writer registers, the reader removes.
 */
final class InFlightTable {

	private int[] keys;

	private @Nullable Request[] values;

	private int mask;

	private volatile int size;

	InFlightTable(int expected) {
		int capacity = Integer.highestOneBit(Math.max(16, Math.min(1 << 20, expected) * 2 - 1)) << 1;
		this.keys = new int[capacity];
		this.values = new Request[capacity];
		this.mask = capacity - 1;
	}

	int size() {
		return this.size;
	}

	/**
	 * Register a request under a task id.
	 * @return {@code false} if the id is taken
	 */
	synchronized boolean put(int taskId, Request request) {
		if ((this.size + 1) * 2 > this.keys.length) {
			grow();
		}
		int i = index(taskId);
		while (this.values[i] != null) {
			if (this.keys[i] == taskId) {
				return false;
			}
			i = (i + 1) & this.mask;
		}
		this.keys[i] = taskId;
		this.values[i] = request;
		this.size++;
		return true;
	}

	synchronized @Nullable Request remove(int taskId) {
		int i = index(taskId);
		Request found;
		while ((found = this.values[i]) != null) {
			if (this.keys[i] == taskId) {
				delete(i);
				return found;
			}
			i = (i + 1) & this.mask;
		}
		return null;
	}

	/** Remove the entry only if it still maps to this request. */
	synchronized boolean remove(int taskId, Request request) {
		int i = index(taskId);
		Request found;
		while ((found = this.values[i]) != null) {
			if (this.keys[i] == taskId) {
				if (found != request) {
					return false;
				}
				delete(i);
				return true;
			}
			i = (i + 1) & this.mask;
		}
		return false;
	}

	/** Remove and return every request. */
	synchronized List<Request> drain() {
		List<Request> all = new ArrayList<>(this.size);
		for (int i = 0; i < this.values.length; i++) {
			Request request = this.values[i];
			if (request != null) {
				all.add(request);
				this.values[i] = null;
			}
		}
		this.size = 0;
		return all;
	}

	private void delete(int slot) {
		// backward-shift deletion keeps every probe chain unbroken
		int hole = slot;
		int i = slot;
		while (true) {
			i = (i + 1) & this.mask;
			Request moved = this.values[i];
			if (moved == null) {
				break;
			}
			int home = index(this.keys[i]);
			boolean between = (hole <= i) ? (hole < home && home <= i) : (hole < home || home <= i);
			if (!between) {
				this.keys[hole] = this.keys[i];
				this.values[hole] = moved;
				hole = i;
			}
		}
		this.values[hole] = null;
		this.size--;
	}

	private void grow() {
		int[] oldKeys = this.keys;
		Request[] oldValues = this.values;
		int capacity = oldKeys.length * 2;
		this.keys = new int[capacity];
		this.values = new Request[capacity];
		this.mask = capacity - 1;
		for (int j = 0; j < oldKeys.length; j++) {
			Request request = oldValues[j];
			if (request != null) {
				int i = index(oldKeys[j]);
				while (this.values[i] != null) {
					i = (i + 1) & this.mask;
				}
				this.keys[i] = oldKeys[j];
				this.values[i] = request;
			}
		}
	}

	private int index(int taskId) {
		return (taskId * 0x9E3779B9) >>> 7 & this.mask;
	}

}
