/** @type {import('next').NextConfig} */
const nextConfig = {
  // This folder is the app; the lockfile of the SDK's repository above it is not its workspace.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
