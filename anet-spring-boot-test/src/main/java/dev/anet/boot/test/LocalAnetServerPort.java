package dev.anet.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the application's anet server bound ({@code local.anet.server.port}), such as
 * a free one picked with {@code anet.server.port=0}. A shortcut for
 * {@code @Value("${local.anet.server.port}")}, like Boot's {@code @LocalServerPort}.
 *
 * <pre class="code">
 * &#64;LocalAnetServerPort
 * int anetPort;
 * </pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.anet.server.port}")
public @interface LocalAnetServerPort {

}
