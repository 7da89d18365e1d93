package dev.anet.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link AnetServerAddressException}.
 */
class AnetServerAddressFailureAnalyzer extends AbstractFailureAnalyzer<AnetServerAddressException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AnetServerAddressException cause) {
		return new FailureAnalysis(
				"The anet server failed to start. anet.server.address '" + cause.getAddress()
						+ "' could not be resolved to an address of this machine.",
				"Set anet.server.address to an IP address or host name of this machine (127.0.0.1 for local "
						+ "connections only), or to 0.0.0.0 to listen on every interface.",
				cause);
	}

}
