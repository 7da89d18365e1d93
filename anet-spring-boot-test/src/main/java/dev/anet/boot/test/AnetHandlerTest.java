package dev.anet.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of the application's {@code @AnetHandler}s alone, as {@code @WebMvcTest} tests
 * controllers: full auto-configuration is off and only anet's is applied; component scanning
 * keeps only the beans with {@code @AnetHandler} on the class or on a method, and
 * {@code AnetServerCustomizer}s (add what the handlers need with {@code @Import},
 * {@code @MockitoBean} or {@link #includeFilters()}). The anet server binds a free port of
 * 127.0.0.1 ({@code anet.server.port=0}, {@code anet.server.address=127.0.0.1}), there is no
 * broker ({@code anet.pool.addresses} is emptied), and an {@link AnetTestClient} bean calls the
 * server. {@link #properties()} may override each of these.
 *
 * <pre class="code">
 * import dev.anet.boot.test.AnetHandlerTest;
 * import dev.anet.boot.test.AnetTestClient;
 *
 * &#64;AnetHandlerTest
 * class HsmHandlersTests {
 *
 *     &#64;Autowired
 *     AnetTestClient client;
 *
 *     &#64;Test
 *     void answersDiagnostics() {
 *         client.send("NC00").andExpectAnswer("ND00");
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(AnetHandlerTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(AnetHandlerTypeExcludeFilter.class)
@ImportAutoConfiguration
public @interface AnetHandlerTest {

	/**
	 * Properties in form {@literal key=value} added to the environment before the test runs,
	 * after (and so over) the slice's {@code anet.server.port=0} and
	 * {@code anet.server.address=127.0.0.1}.
	 * @return the properties to add
	 */
	String[] properties() default {};

	/**
	 * The handler beans to test: the classes with {@code @AnetHandler} to keep. When empty, every
	 * one is kept.
	 * @return the handler classes
	 */
	@AliasFor("value")
	Class<?>[] handlers() default {};

	/**
	 * Alias for {@link #handlers()}.
	 * @return the handler classes
	 */
	@AliasFor("handlers")
	Class<?>[] value() default {};

	/**
	 * Whether default filtering is used with {@code @SpringBootApplication}: only the handler
	 * beans are kept.
	 * @return whether to use the default filters
	 */
	boolean useDefaultFilters() default true;

	/**
	 * Include filters that add beans the default filtering leaves out.
	 * @return include filters to apply
	 */
	Filter[] includeFilters() default {};

	/**
	 * Exclude filters that remove beans the default filtering keeps.
	 * @return exclude filters to apply
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configurations not to apply.
	 * @return the auto-configurations to exclude
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
