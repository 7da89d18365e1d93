package dev.anet.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * {@code Thread.ofVirtual().factory()} for the benchmark commands' {@code --virtual-threads} flag.
 *
 * <p>The module is compiled for Java 17, whose API has no {@code Thread.ofVirtual()}, so the call
 * is looked up at run time with a {@link MethodHandle}: on JDK 21 and later it gives a factory of
 * virtual threads; on JDK 17 it fails with a message that says which JDK is needed. This is a
 * benchmark convenience only: anet-core itself takes any {@link ThreadFactory} and never looks up
 * virtual threads on its own.
 */
final class VirtualThreads {

	private VirtualThreads() {
	}

	/**
	 * Return a factory of virtual threads.
	 * @return {@code Thread.ofVirtual().factory()}
	 * @throws UnsupportedOperationException on a JDK without virtual threads (before 21), with
	 * the running JDK's version in the message
	 */
	static ThreadFactory factory() {
		try {
			Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			MethodHandle builder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
			MethodHandle factory = lookup.findVirtual(ofVirtual, "factory", MethodType.methodType(ThreadFactory.class));
			return (ThreadFactory) factory.invoke(builder.invoke());
		}
		catch (Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// ClassNotFoundException / NoSuchMethodException on 17; UnsupportedOperationException on 19-20 without preview
			throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is "
					+ System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + ex + ")", ex);
		}
	}

	/**
	 * Return whether this JDK gives virtual threads.
	 * @return whether {@link #factory()} works
	 */
	static boolean available() {
		try {
			factory();
			return true;
		}
		catch (UnsupportedOperationException ex) {
			return false;
		}
	}

}
