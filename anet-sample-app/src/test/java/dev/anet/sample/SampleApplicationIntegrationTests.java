package dev.anet.sample;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample end to end: HTTP on a random port, anet on a random port (the broker calls it
 * through {@code ${local.anet.server.port}}), requests through the REST endpoint and through a raw
 * socket, then health and metrics read over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.requests=0", "anet.server.port=0" })
class SampleApplicationIntegrationTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	@Value("${local.server.port}")
	private int httpPort;

	@Value("${local.anet.server.port}")
	private int anetPort;

	@Test
	void servesAndCallsAnetAndReportsHealthAndMetricsOverHttp() throws Exception {
		assertThat(this.anetPort).isPositive().isNotEqualTo(9000);

		// 1. through the REST endpoint and the broker: each route
		post("/anet/send", "NC00").isEqualTo(200, "ND00" + HsmHandlers.LMK_CHECK_VALUE + HsmHandlers.FIRMWARE);
		post("/anet/send", "EC hello").isEqualTo(200, "EC hello");
		postForm("/anet/send", "EC form-encoded, as curl -d sends it").isEqualTo(200, "EC form-encoded, as curl -d sends it");
		post("/anet/send?timeout=2s", "balance inquiry").isEqualTo(200, "BALANCE INQUIRY");
		assertThat(post("/anet/send?timeout=soon", "x").status()).isEqualTo(400);

		// 1. directly through a raw socket speaking the protocol
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.anetPort)) {
			socket.setSoTimeout(5000);
			write(socket.getOutputStream(), 0x01020304, "EC raw".getBytes(StandardCharsets.US_ASCII));
			write(socket.getOutputStream(), 7, "nc lower".getBytes(StandardCharsets.US_ASCII));
			DataInputStream in = new DataInputStream(socket.getInputStream());
			// the two run concurrently: a server may answer a connection's requests in any order
			assertThat(List.of(readFrame(in), readFrame(in))).containsExactlyInAnyOrder("16909060:EC raw",
					"7:NC LOWER");
		}

		// 2. health over HTTP: UP, with anet details
		JsonNode health = getJson("/actuator/health");
		assertThat(health.path("status").asText()).isEqualTo("UP");
		JsonNode anet = health.path("components").path("anet");
		assertThat(anet.path("status").asText()).isEqualTo("UP");
		assertThat(anet.path("details").toString()).contains("127.0.0.1:" + this.anetPort)
			.contains(String.valueOf(this.anetPort));

		// 3. metrics over HTTP: four broker requests succeeded (the 400 never reached anet);
		// the server saw those four plus the two raw ones
		assertThat(count("anet.broker.requests", "outcome:success")).isEqualTo(4.0);
		assertThat(count("anet.server.requests", null)).isEqualTo(6.0);
		assertThat(count("anet.server.requests", "route:NC")).isEqualTo(1.0);
		assertThat(count("anet.server.requests", "route:EC")).isEqualTo(3.0);
	}

	private Response post(String path, String body) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.body());
	}

	private Response postForm(String path, String body) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.body());
	}

	private JsonNode getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private double count(String meter, String tag) throws IOException, InterruptedException {
		JsonNode metric = getJson("/actuator/metrics/" + meter + ((tag != null) ? "?tag=" + tag : ""));
		for (JsonNode measurement : metric.path("measurements")) {
			if (measurement.path("statistic").asText().equals("COUNT")) {
				return measurement.path("value").asDouble();
			}
		}
		throw new AssertionError("No COUNT in " + metric);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	private static void write(OutputStream out, int taskId, byte[] body) throws IOException {
		ByteBuffer frame = ByteBuffer.allocate(6 + body.length).putShort((short) (4 + body.length)).putInt(taskId).put(body);
		out.write(frame.array());
		out.flush();
	}

	private static String readFrame(DataInputStream in) throws IOException {
		int length = in.readUnsignedShort();
		int taskId = in.readInt();
		byte[] body = new byte[length - 4];
		in.readFully(body);
		return taskId + ":" + new String(body, StandardCharsets.US_ASCII);
	}

	record Response(int status, String body) {

		Response isEqualTo(int expectedStatus, String expectedBody) {
			assertThat(this.status).as(this.body).isEqualTo(expectedStatus);
			assertThat(this.body).isEqualTo(expectedBody);
			return this;
		}

	}

}
