package dev.anet.bench;

import dev.anet.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server --tls} and {@code load --tls} in-process, with the certificate folder of the
 * core's tests (the peers' layout), over the library's {@code SSLEngine} transport and over the
 * {@code SSLSocket} prototype.
 */
class TlsLoadSmokeTests {

	private final InProcessServer server = new InProcessServer();

	@AfterEach
	void stopServerAndRestoreTheEngine() throws InterruptedException {
		assertThat(this.server.stop()).isZero();
		dev.anet.tls.SslSocketRecords.install(false);
	}

	@ParameterizedTest
	@ValueSource(strings = { "engine", "socket" })
	void whenBothSidesRunTlsThenEveryVerifiedRequestSucceeds(String impl) {
		String dir = TestCertificates.dir().toString();
		this.server.start("--port", "0", "--tls", "--tls-dir", dir, "--tls-impl", impl);
		CommandRun run = CommandRun.of("load", "--port", this.server.port(), "--tls", "--tls-dir", dir, "--tls-impl",
				impl, "--connections", "4", "--concurrency", "16", "--requests", "2000", "--size", "100", "--verify",
				"--max-seconds", "20");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).contains("\"requests\":2000,\"errors\":0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "engine", "socket" })
	void whenPayloadsSpanSeveralRecordsThenEveryVerifiedRequestSucceeds(String impl) {
		String dir = TestCertificates.dir().toString();
		this.server.start("--port", "0", "--tls", "--tls-dir", dir, "--tls-impl", impl);
		CommandRun run = CommandRun.of("load", "--port", this.server.port(), "--tls", "--tls-dir", dir, "--tls-impl",
				impl, "--connections", "2", "--concurrency", "8", "--requests", "400", "--size", "40000", "--verify",
				"--max-seconds", "20");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).contains("\"requests\":400,\"errors\":0");
	}

}
