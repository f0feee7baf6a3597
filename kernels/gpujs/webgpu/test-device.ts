/**
 * For tests and benches: a WebGPU backend on whatever adapter Dawn finds, with Chromium's
 * SwiftShader Vulkan driver as the software adapter when no ICD is named (the CI machine has no
 * GPU). Under CI=true or ELIM_REQUIRE_WEBGPU=1 a missing adapter is an error, never a skip.
 */
import { existsSync } from 'node:fs';
import { createWebGpuBackend, type WebGpuBackend } from './backend.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Points the Vulkan loader at SwiftShader unless an ICD is already named, or ELIM_VULKAN_SYSTEM=1
 * asks for the loader's own search (a GPU machine: scripts/device/gpu-check.sh sets it); Dawn
 * wants XDG_RUNTIME_DIR.
 */
export const useSoftwareVulkanUnlessSet = (): void => {
  const named = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES || process.env.ELIM_VULKAN_SYSTEM === '1';
  if (!named && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = '/tmp';
};

export const webgpuRequired = (): boolean => process.env.CI === 'true' || process.env.ELIM_REQUIRE_WEBGPU === '1';

/** The backend, or why there is none (only where webgpuRequired() is false: else it throws). */
export const openWebGpuForTest = (log: (m: string) => void = () => {}): WebGpuBackend | string => {
  useSoftwareVulkanUnlessSet();
  try {
    return createWebGpuBackend({ log });
  } catch (err) {
    if (webgpuRequired()) throw err;
    return err instanceof Error ? err.message : String(err);
  }
};
