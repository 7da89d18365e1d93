package dev.anet.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetServerPortInUseFailureAnalyzer}.
 */
class AnetServerPortInUseFailureAnalyzerTests {

	@Test
	void explainsAPortInUseAndSaysWhatToDo() {
		AnetServerPortInUseException portInUse = new AnetServerPortInUseException("0.0.0.0", 9000,
				new UncheckedIOException("Failed to start anet server on port 9000",
						new BindException("Address already in use")));
		FailureAnalysis analysis = new AnetServerPortInUseFailureAnalyzer()
			.analyze(new ApplicationContextException("Failed to start bean 'anetServerLifecycle'", portInUse));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("The anet server failed to start. Port 9000 on 0.0.0.0 was already in use.");
		assertThat(analysis.getAction()).contains("stop the process that's listening on port 9000")
			.contains("anet.server.port");
		assertThat(analysis.getCause()).isSameAs(portInUse);
	}

	@Test
	void leavesOtherFailuresAlone() {
		assertThat(new AnetServerPortInUseFailureAnalyzer()
			.analyze(new UncheckedIOException("Failed to start anet server on port 9000", new IOException("other"))))
			.isNull();
	}

	@Test
	void isRegisteredInSpringFactories() {
		List<String> names = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
					SpringFactoriesLoader.FailureHandler.logging(
							org.apache.commons.logging.LogFactory.getLog(AnetServerPortInUseFailureAnalyzerTests.class)))
			.stream()
			.map((analyzer) -> analyzer.getClass().getName())
			.toList();
		assertThat(names).contains(AnetServerPortInUseFailureAnalyzer.class.getName());
	}

}
