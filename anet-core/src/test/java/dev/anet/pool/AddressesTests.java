package dev.anet.pool;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Addresses}: parsing and printing {@code host:port}.
 */
class AddressesTests {

	@Test
	void hostAndPortAreParsed() throws Exception {
		InetSocketAddress address = Addresses.parse("127.0.0.1:9000");

		assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
		assertThat(address.getPort()).isEqualTo(9000);
		assertThat(Addresses.format(address)).isEqualTo("127.0.0.1:9000");
	}

	@Test
	void surroundingSpaceIsIgnored() {
		assertThat(Addresses.parse("  127.0.0.1:1 ").getPort()).isEqualTo(1);
	}

	@Test
	void hostNamesAreResolved() {
		InetSocketAddress address = Addresses.parse("localhost:65535");

		assertThat(address.isUnresolved()).isFalse();
		assertThat(address.getAddress().isLoopbackAddress()).isTrue();
		assertThat(address.getPort()).isEqualTo(65535);
	}

	@Test
	void bracketedIpv6LiteralIsParsedAndPrintedInBrackets() throws Exception {
		InetSocketAddress address = Addresses.parse("[::1]:9000");

		assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("::1"));
		assertThat(Addresses.format(address)).isEqualTo("[0:0:0:0:0:0:0:1]:9000");
	}

	@Test
	void unresolvedAddressIsPrintedWithItsHostName() {
		assertThat(Addresses.format(InetSocketAddress.createUnresolved("hsm.example", 1500)))
			.isEqualTo("hsm.example:1500");
	}

	@ParameterizedTest(name = "''{0}''")
	@CsvSource(delimiter = '|', textBlock = """
			localhost        | Address 'localhost' is not host:port
			:9000            | Address ':9000' is not host:port
			localhost:       | Address 'localhost:' is not host:port
			localhost:http   | Address 'localhost:http' has no numeric port
			localhost:0      | Address 'localhost:0' has port 0 outside 1..65535
			localhost:65536  | Address 'localhost:65536' has port 65536 outside 1..65535
			localhost:-1     | Address 'localhost:-1' has port -1 outside 1..65535
			""")
	void malformedAddressesAreRefusedNamingTheAddress(String address, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Addresses.parse(address)).withMessage(message);
	}

	@Test
	void ipv6LiteralWithoutBracketsIsRefused() {
		// "::1" must not become host ":" port 1, nor "fe80::1:9000" host "fe80::1" port 9000 by guesswork
		assertThatIllegalArgumentException().isThrownBy(() -> Addresses.parse("::1"))
			.withMessageContaining("'::1'")
			.withMessageContaining("[");
		assertThatIllegalArgumentException().isThrownBy(() -> Addresses.parse("fe80::1:9000"))
			.withMessageContaining("'fe80::1:9000'");
	}

}
