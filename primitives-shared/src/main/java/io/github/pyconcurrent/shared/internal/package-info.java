/**
 * What primitives-shared's classes share with the toolkit's other modules and users must not rely
 * on: public only because Java has no visibility between packages of different modules short of
 * JPMS exports. Anything here may change or go in any release.
 */
package io.github.pyconcurrent.shared.internal;
