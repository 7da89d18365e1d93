package dev.anet.boot.test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link MockAnetServerExtension} in a static field: one server for the class, reset after each
 * test (the second test would fail on the first one's unmet expectation otherwise).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MockAnetServerExtensionTests {

	@RegisterExtension
	static final MockAnetServerExtension hsm = new MockAnetServerExtension();

	private static int firstPort;

	@Test
	@Order(1)
	void whenATestLeavesAnExpectationUnmetThenTheNextTestDoesNotSeeIt(MockAnetServer server) throws IOException {
		assertThat(server).isSameAs(hsm.server());
		firstPort = hsm.port();
		hsm.expect(prefix("NC")).andRespond("ND00");
		hsm.expect(prefix("never")).andRespond("x");
		assertThat(call("NC00")).isEqualTo("ND00");
	}

	@Test
	@Order(2)
	void whenTheServerIsStaticThenItIsResetBetweenTestsAndKeepsItsPort() throws IOException {
		assertThat(hsm.port()).isEqualTo(firstPort);
		hsm.verify();
		hsm.expect(prefix("EC")).andRespond((request) -> request);
		assertThat(call("EC hi")).isEqualTo("EC hi");
		hsm.verify();
	}

	@Test
	@Order(3)
	void whenUsedOutsideATestThenTheServerIsRefused() {
		MockAnetServerExtension unused = new MockAnetServerExtension();
		assertThatIllegalStateException().isThrownBy(unused::server).withMessageContaining("@RegisterExtension");
	}

	private static String call(String request) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), hsm.port())) {
			socket.setSoTimeout(5000);
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			byte[] body = MockAnetServerTests.ascii(request);
			out.writeShort(4 + body.length);
			out.writeInt(42);
			out.write(body);
			out.flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			int length = in.readUnsignedShort();
			assertThat(in.readInt()).isEqualTo(42);
			byte[] answer = new byte[length - 4];
			in.readFully(answer);
			return MockAnetServerTests.text(answer);
		}
	}

}
