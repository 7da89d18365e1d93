package dev.anet.boot.test;

import java.util.Objects;
import java.util.function.Function;

/**
 * Makes the {@link AnetResponse} of a {@link MockAnetServer} to a matched request. Get one from
 * {@link AnetResponseCreators}. (A class rather than a functional interface, so that
 * {@code andRespond(request -> answer)} is never ambiguous.)
 */
public final class AnetResponseCreator {

	private final Function<byte[], AnetResponse> creator;

	AnetResponseCreator(Function<byte[], AnetResponse> creator) {
		this.creator = Objects.requireNonNull(creator, "creator");
	}

	/**
	 * Make the response.
	 * @param request the request body
	 * @return the response
	 */
	public AnetResponse createResponse(byte[] request) {
		return this.creator.apply(request);
	}

}
