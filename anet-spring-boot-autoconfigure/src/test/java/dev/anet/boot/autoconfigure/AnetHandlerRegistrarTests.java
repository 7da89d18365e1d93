package dev.anet.boot.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.TestServerConnection;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AnetHandlerRegistrar}, {@link AnetHandlerMethod} and {@link AnetRouter}.
 */
class AnetHandlerRegistrarTests {

	private static final ServerConnection CONNECTION = new TestServerConnection();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void methodsInEveryFormAreRoutedByPrefix() throws Exception {
		Handlers handlers = new Handlers();
		AnetRouter router = router(handlers);
		assertThat(text(router.handle(CONNECTION, ascii("NC1")))).isEqualTo("nc:NC1");
		assertThat(text(router.handle(CONNECTION, ascii("NCX")))).isEqualTo("ncx:NCX");
		assertThat(text(router.handle(CONNECTION, ascii("A0")))).isEqualTo("async:A0");
		assertThat(text(router.handle(CONNECTION, new byte[] { 0x02, 0x00, 0x41 }))).isEqualTo("hex:3:7");
		assertThat(router.handle(CONNECTION, ascii("V1"))).isNull();
		assertThat(handlers.voids).containsExactly("V1");
		assertThat(text(router.handle(CONNECTION, ascii("zzz")))).isEqualTo("default:zzz");
		assertThat(router.routeNames()).containsExactly("NCX", "0x0200", "NC", "A", "V", "default");
	}

	@Test
	void theLongestPrefixWins() {
		AnetRouter router = router(new Handlers());
		assertThat(router.routeName(ascii("NCXY"))).isEqualTo("NCX");
		assertThat(router.routeName(ascii("NCY"))).isEqualTo("NC");
		assertThat(router.routeName(ascii("N"))).isEqualTo("default");
	}

	@Test
	void aRequestNoRouteTakesIsCountedAndGetsNoAnswer() throws Exception {
		AnetRouter router = router(new PrefixOnly());
		assertThat(router.handle(CONNECTION, ascii("XY"))).isNull();
		assertThat(router.handle(CONNECTION, new byte[0])).isNull();
		assertThat(router.routeName(ascii("XY"))).isNull();
		assertThat(router.unroutedRequests()).isEqualTo(2);
		assertThat(text(router.handle(CONNECTION, ascii("PX")))).isEqualTo("p");
	}

	@Test
	void aHandlerBeanIsRouted() throws Exception {
		AnetRouter router = router(new ClassHandler());
		assertThat(text(router.handle(CONNECTION, ascii("Kx")))).isEqualTo("class:Kx");
		assertThat(router.routeNames()).containsExactly("K");
	}

	@Test
	void exceptionsOfAHandlerMethodReachTheServer() {
		AnetRouter router = router(new Failing());
		assertThatIllegalStateException().isThrownBy(() -> router.handle(CONNECTION, ascii("F")))
			.withMessage("boom");
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> router.handle(CONNECTION, ascii("G")))
			.withMessage("async boom");
	}

	@Test
	void aMethodBehindACglibProxyIsRouted() throws Exception {
		ProxyFactory factory = new ProxyFactory(new PrefixOnly());
		factory.setProxyTargetClass(true);
		AnetRouter router = router(factory.getProxy());
		assertThat(text(router.handle(CONNECTION, ascii("P")))).isEqualTo("p");
	}

	@Test
	void whenTwoHandlersShareARouteThenStartUpFailsNamingBoth() {
		this.contextRunner.withUserConfiguration(DuplicateConfiguration.class)
			.run(failsWith("Two @AnetHandler handlers share the route 'A'", "Method PrefixA.handle of bean 'first'",
					"Method HexA.handle of bean 'second'"));
	}

	@Test
	void whenTwoHandlersAreDefaultRoutesThenStartUpFails() {
		this.contextRunner.withUserConfiguration(TwoDefaultsConfiguration.class)
			.run(failsWith("share the default route (no prefix)", "bean 'one'", "bean 'two'"));
	}

	@Test
	void whenASignatureIsBadThenStartUpFailsNamingBeanAndMethod() {
		this.contextRunner.withBean("bad", BadSignature.class)
			.run(failsWith("Method BadSignature.handle of bean 'bad' cannot be an @AnetHandler",
					"its parameters are not (request) or (request, ServerConnection)",
					"Use one of these signatures: T m(R)"));
	}

	@Test
	void whenAMethodReturnsAFutureOfATypeNoConverterConvertsThenStartUpFails() {
		this.contextRunner.withBean("bad", BadFuture.class)
			.run(failsWith("Method BadFuture.handle of bean 'bad'",
					"its answer is a java.lang.Thread, which no AnetMessageConverter converts"));
	}

	@Test
	void whenAJdkProxyHidesTheMethodThenStartUpFailsSayingWhatToDo() {
		this.contextRunner.withUserConfiguration(JdkProxyConfiguration.class)
			.run(failsWith("Method Hidden.handle of bean 'hidden' is hidden behind a JDK proxy",
					"declare the method on an interface", "proxyTargetClass"));
	}

	@Test
	void whenAnAnnotatedClassIsNotAHandlerThenStartUpFails() {
		this.contextRunner.withBean("notHandler", NotAHandler.class)
			.run(failsWith("Bean 'notHandler'", "does not implement dev.anet.server.Handler"));
	}

	@Test
	void whenAPrefixIsNotAsciiThenStartUpFailsPointingToPrefixHex() {
		this.contextRunner.withBean("accent", NonAscii.class)
			.run(failsWith("Method NonAscii.handle of bean 'accent'",
					"is not ASCII: give the bytes with prefixHex instead"));
	}

	@Test
	void whenAHexPrefixIsNotHexThenStartUpFails() {
		this.contextRunner.withBean("hex", BadHex.class)
			.run(failsWith("Method BadHex.handle of bean 'hex' has @AnetHandler(prefixHex = \"0g\")"));
	}

	@Test
	void whenBothPrefixAndPrefixHexAreGivenThenStartUpFails() {
		this.contextRunner.withBean("both", Both.class)
			.run(failsWith("has both prefix \"A\" and prefixHex \"41\"", "keep one of them"));
	}

	private static ContextConsumer<AssertableApplicationContext> failsWith(String... parts) {
		return (context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains(parts);
		};
	}

	static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static AnetRouter router(Object... beans) {
		AnetHandlerRegistrar registrar = new AnetHandlerRegistrar();
		for (int i = 0; i < beans.length; i++) {
			registrar.postProcessAfterInitialization(beans[i], "bean" + i);
		}
		registrar.afterSingletonsInstantiated();
		return registrar.getRouter();
	}

	static class Handlers {

		final List<String> voids = new CopyOnWriteArrayList<>();

		@AnetHandler(prefix = "NC")
		byte[] nc(byte[] request) {
			return ascii("nc:" + text(request));
		}

		@AnetHandler("NCX")
		byte[] ncx(byte[] request, ServerConnection connection) {
			return ascii("ncx:" + text(request));
		}

		@AnetHandler(prefix = "A")
		CompletableFuture<byte[]> async(byte[] request) {
			return CompletableFuture.supplyAsync(() -> ascii("async:" + text(request)));
		}

		@AnetHandler(prefixHex = "0200")
		byte[] hex(byte[] request, ServerConnection connection) {
			return ascii("hex:" + request.length + ":" + connection.id());
		}

		@AnetHandler(prefix = "V")
		void fireAndForget(byte[] request) {
			this.voids.add(text(request));
		}

		@AnetHandler
		byte[] fallback(byte[] request) {
			return ascii("default:" + text(request));
		}

		byte[] notAHandler(byte[] request) {
			return request;
		}

	}

	static class PrefixOnly {

		@AnetHandler(prefix = "P")
		public byte[] handle(byte[] request) {
			return ascii("p");
		}

	}

	@AnetHandler(prefix = "K")
	static class ClassHandler implements Handler {

		@Override
		public byte[] handle(ServerConnection connection, byte[] request) {
			return ascii("class:" + text(request));
		}

	}

	static class Failing {

		@AnetHandler(prefix = "F")
		byte[] fail(byte[] request) {
			throw new IllegalStateException("boom");
		}

		@AnetHandler(prefix = "G")
		CompletableFuture<byte[]> failLater(byte[] request) {
			return CompletableFuture.failedFuture(new java.io.IOException("async boom"));
		}

	}

	static class PrefixA {

		@AnetHandler(prefix = "A")
		byte[] handle(byte[] request) {
			return request;
		}

	}

	static class HexA {

		@AnetHandler(prefixHex = "41")
		byte[] handle(byte[] request) {
			return request;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateConfiguration {

		@Bean
		PrefixA first() {
			return new PrefixA();
		}

		@Bean
		HexA second() {
			return new HexA();
		}

	}

	static class DefaultRoute {

		@AnetHandler
		byte[] handle(byte[] request) {
			return request;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDefaultsConfiguration {

		@Bean
		DefaultRoute one() {
			return new DefaultRoute();
		}

		@Bean
		DefaultRoute two() {
			return new DefaultRoute();
		}

	}

	static class BadSignature {

		@AnetHandler(prefix = "B")
		byte[] handle(byte[] request, String other) {
			return new byte[0];
		}

	}

	static class BadFuture {

		@AnetHandler(prefix = "B")
		CompletableFuture<Thread> handle(byte[] request) {
			return CompletableFuture.completedFuture(Thread.currentThread());
		}

	}

	interface Service {

		void work();

	}

	static class Hidden implements Service {

		@Override
		public void work() {
		}

		@AnetHandler(prefix = "H")
		public byte[] handle(byte[] request) {
			return request;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkProxyConfiguration {

		@Bean
		Service hidden() {
			ProxyFactory factory = new ProxyFactory(new Hidden());
			factory.addInterface(Service.class);
			return (Service) factory.getProxy();
		}

	}

	@AnetHandler(prefix = "N")
	static class NotAHandler {

	}

	static class NonAscii {

		@AnetHandler(prefix = "é")
		byte[] handle(byte[] request) {
			return request;
		}

	}

	static class BadHex {

		@AnetHandler(prefixHex = "0g")
		byte[] handle(byte[] request) {
			return request;
		}

	}

	static class Both {

		@AnetHandler(prefix = "A", prefixHex = "41")
		byte[] handle(byte[] request) {
			return request;
		}

	}

}
