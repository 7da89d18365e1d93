package dev.anet.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link AnetServerPortInUseException}.
 */
class AnetServerPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<AnetServerPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AnetServerPortInUseException cause) {
		return new FailureAnalysis(
				"The anet server failed to start. Port " + cause.getPort() + " on " + cause.getAddress()
						+ " was already in use.",
				"Identify and stop the process that's listening on port " + cause.getPort()
						+ " or configure this application's anet server to listen on another port with "
						+ "anet.server.port (0 picks a free one).",
				cause);
	}

}
