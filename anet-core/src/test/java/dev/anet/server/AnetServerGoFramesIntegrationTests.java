package dev.anet.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the frames captured from the Go anet server ({@code go-anet-frames.json}) against
 * {@link AnetServer}: the same bytes in must give the same frames out.
 */
class AnetServerGoFramesIntegrationTests {

	private static final HexFormat HEX = HexFormat.of();

	private final RecordingListener listener = new RecordingListener();

	private AnetServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("answeredCases")
	void whenGoClientBytesArriveThenTheGoServerAnswerFramesComeBack(String name, String serverKind, List<byte[]> sends,
			List<byte[]> expectedReplies) {
		startServer(handlerFor(serverKind));
		try (TestClient client = TestClient.connect(this.server.port())) {
			sends.forEach(client::sendRaw);
			Map<Integer, byte[]> expected = byTaskId(expectedReplies);
			Map<Integer, byte[]> actual = new HashMap<>();
			for (int i = 0; i < expectedReplies.size(); i++) {
				TestClient.Frame frame = client.receive();
				actual.put(frame.taskId(), encode(frame));
			}
			assertThat(actual.keySet()).isEqualTo(expected.keySet());
			expected.forEach((taskId, bytes) -> assertThat(actual.get(taskId)).as("answer to task id %d", taskId)
				.isEqualTo(bytes));
			// and the connection stays usable
			assertThat(client.request(AnetServerTests.bytes("after"))).isNotNull();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("closingCases")
	void whenFrameIsTooShortForATaskIdThenConnectionIsClosedWithoutReply(String name, byte[] sends,
			int expectedLength) {
		startServer((connection, request) -> request);
		try (TestClient client = TestClient.connect(this.server.port())) {
			client.sendRaw(sends);
			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("bytes before close").isZero();
		}
		assertThat(this.listener.invalidFrameLengths).containsExactly(expectedLength);
	}

	@Test
	void whenHandlerReturnsNullThenNothingIsSentAndConnectionStaysOpen() throws IOException {
		JsonNode noResponse = cases().filter((node) -> node.get("name").asText().equals("no-response"))
			.findFirst()
			.orElseThrow();
		assertThat(noResponse.get("server_closed_connection").asBoolean()).isFalse();
		startServer((connection, request) -> "x".equals(new String(request, StandardCharsets.UTF_8)) ? null : request);
		try (TestClient client = TestClient.connect(this.server.port())) {
			client.sendRaw(HEX.parseHex(noResponse.get("client_sends_hex").asText()));
			await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.listener.count(HandlerOutcome.NO_RESPONSE) == 1);
			// nothing for task 5 arrived before the answer to a later request
			client.send(6, AnetServerTests.bytes("next"));
			TestClient.Frame frame = client.receive();
			assertThat(frame.taskId()).isEqualTo(6);
			assertThat(frame.text()).isEqualTo("next");
			InputStream in = client.socket().getInputStream();
			assertThat(in.available()).isZero();
		}
	}

	static Stream<Arguments> answeredCases() throws IOException {
		return cases().filter((node) -> node.get("server").asText().startsWith("go-anet echo")
				|| node.get("server").asText().startsWith("go-anet reverse")
				|| node.get("server").asText().startsWith("recording echo"))
			.filter((node) -> !node.get("server_closed_connection").asBoolean(false))
			.map((node) -> Arguments.of(node.get("name").asText(),
					node.get("server").asText(), hexList(node.get("client_sends_hex")),
					hexList(node.get("server_replies_hex"))));
	}

	static Stream<Arguments> closingCases() throws IOException {
		return cases().filter((node) -> node.get("server_closed_connection").asBoolean(false)).map((node) -> {
			byte[] sends = HEX.parseHex(node.get("client_sends_hex").asText());
			int length = ByteBuffer.wrap(sends).getShort() & 0xFFFF;
			return Arguments.of(node.get("name").asText(), sends, length);
		});
	}

	@Test
	void everyCaseOfTheFileIsCovered() throws IOException {
		long answered = answeredCases().count();
		long closing = closingCases().count();
		assertThat(answered).isEqualTo(6);
		assertThat(closing).isEqualTo(2);
		// plus "no-response", tested on its own
		assertThat(cases().count()).isEqualTo(answered + closing + 1);
	}

	private static Stream<JsonNode> cases() throws IOException {
		try (InputStream in = AnetServerGoFramesIntegrationTests.class.getResourceAsStream("/go-anet-frames.json")) {
			assertThat(in).as("go-anet-frames.json on the test classpath").isNotNull();
			JsonNode root = new ObjectMapper().readTree(in);
			List<JsonNode> cases = new ArrayList<>();
			root.get("cases").forEach(cases::add);
			return cases.stream();
		}
	}

	private static List<byte[]> hexList(JsonNode node) {
		List<byte[]> list = new ArrayList<>();
		if (node.isArray()) {
			node.forEach((item) -> list.add(HEX.parseHex(item.asText())));
		}
		else {
			list.add(HEX.parseHex(node.asText()));
		}
		return list;
	}

	private static Map<Integer, byte[]> byTaskId(List<byte[]> frames) {
		Map<Integer, byte[]> map = new HashMap<>();
		for (byte[] frame : frames) {
			map.put(ByteBuffer.wrap(frame).getInt(2), frame);
		}
		return map;
	}

	private static byte[] encode(TestClient.Frame frame) {
		return Frames.encode(frame.taskId(), frame.body());
	}

	private static Handler handlerFor(String serverKind) {
		if (serverKind.contains("reverse")) {
			return (connection, request) -> {
				byte[] reversed = new byte[request.length];
				for (int i = 0; i < request.length; i++) {
					reversed[i] = request[request.length - 1 - i];
				}
				return reversed;
			};
		}
		return (connection, request) -> request;
	}

	private void startServer(Handler handler) {
		this.server = new AnetServer(AnetServerTests.config().build(), handler, this.listener);
		this.server.start();
	}

}
