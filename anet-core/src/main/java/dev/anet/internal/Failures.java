package dev.anet.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What an asynchronous step failed with.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Return what a stage failed with, without the {@link CompletionException}s that dependent
	 * stages (and the {@link ExecutionException}s that {@code get}) wrap it in.
	 * @param failure the failure
	 * @return the cause
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
