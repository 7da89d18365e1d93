package dev.anet.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.anet.boot.test.AutoConfigureMockAnetServer;
import dev.anet.boot.test.MockAnetServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.anet.boot.test.AnetRequestMatchers.bytes;
import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnetController} against a scripted HSM: the broker calls a {@link MockAnetServer}
 * instead of the sample's own server (which is off here), and each anet outcome maps to its HTTP
 * status.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.requests=0", "anet.server.enabled=false" })
@AutoConfigureMockAnetServer
class AnetControllerTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	private MockAnetServer hsm;

	@LocalServerPort
	private int port;

	@Test
	void whenTheHsmAnswersThenTheAnswerIsTheResponseBody() throws Exception {
		this.hsm.expect(bytes("NC00")).andRespond("ND00-from-the-mock");

		HttpResponse<String> response = post("/anet/send", "NC00");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("ND00-from-the-mock");
		this.hsm.verify();
	}

	@Test
	void whenTheHsmAnswersNothingThenTheResponseIsGatewayTimeout() throws Exception {
		this.hsm.expect(prefix("NC")).andNoAnswer();

		HttpResponse<String> response = post("/anet/send?timeout=200ms", "NC00");

		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("No answer within 200 ms");
		this.hsm.verify();
	}

	@Test
	void whenTheHsmResetsTheConnectionThenTheResponseIsBadGateway() throws Exception {
		this.hsm.expect(prefix("NC")).andResetConnection();

		HttpResponse<String> response = post("/anet/send", "NC00");

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains(this.hsm.address());
		this.hsm.verify();
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
