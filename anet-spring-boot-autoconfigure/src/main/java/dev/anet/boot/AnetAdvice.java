package dev.anet.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose {@link AnetExceptionHandler @AnetExceptionHandler} methods apply to every
 * {@link AnetHandler @AnetHandler}, after the handler bean's own (as {@code @ControllerAdvice}
 * does for Spring MVC). Several advice beans are asked in their {@code @Order}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface AnetAdvice {

	/**
	 * The bean name, as for {@link Component#value()}.
	 * @return the name, or empty for a generated one
	 */
	@AliasFor(annotation = Component.class)
	String value() default "";

}
