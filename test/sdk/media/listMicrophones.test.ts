import { describe, expect, it } from 'vitest';
import { listMicrophones } from '../../../src/media/listMicrophones.ts';
import { domException, fakeMediaEnv } from './fakeMediaEnv.ts';

describe('listMicrophones', () => {
  it('lists the audio inputs as { deviceId, label } without asking for the microphone', async () => {
    const { context, mediaDevices } = fakeMediaEnv();
    expect(await listMicrophones(context)).toEqual([
      { deviceId: 'default', label: 'Default' },
      { deviceId: 'mic-1', label: 'USB Microphone' },
      { deviceId: 'mic-2', label: 'Headset' },
    ]);
    expect(mediaDevices.getUserMedia).not.toHaveBeenCalled();
  });

  it('unlocks hidden labels by asking for the microphone once, and releases it at once', async () => {
    const { context, mediaDevices, created } = fakeMediaEnv();
    const labelled = mediaDevices.devices;
    mediaDevices.enumerateDevices.mockResolvedValueOnce([
      { deviceId: '', label: '', kind: 'audioinput', groupId: '' },
      { deviceId: '', label: '', kind: 'audiooutput', groupId: '' },
    ]);
    const microphones = await listMicrophones(context);
    expect(microphones.map((microphone) => microphone.label)).toEqual(
      labelled.filter((device) => device.kind === 'audioinput').map((device) => device.label),
    );
    expect(mediaDevices.getUserMedia).toHaveBeenCalledTimes(1);
    expect(created.streams[0]!.tracks[0]!.readyState).toBe('ended');
  });

  it('returns an empty list where there is no microphone', async () => {
    const { context, mediaDevices } = fakeMediaEnv();
    mediaDevices.devices = [];
    expect(await listMicrophones(context)).toEqual([]);
  });

  it.each([
    ['NotAllowedError', 'MIC_PERMISSION_DENIED'],
    ['NotFoundError', 'NO_MIC_AVAILABLE'],
    ['NotReadableError', 'MIC_DEVICE_DISCONNECTED'],
  ])('maps %s while unlocking labels to %s', async (name, code) => {
    const { context, mediaDevices } = fakeMediaEnv();
    mediaDevices.enumerateDevices.mockResolvedValueOnce([{ deviceId: '', label: '', kind: 'audioinput', groupId: '' }]);
    mediaDevices.getUserMedia.mockRejectedValueOnce(domException(name));
    await expect(listMicrophones(context)).rejects.toMatchObject({ code, phase: 'media' });
  });

  it('reports NO_MIC_AVAILABLE where navigator.mediaDevices is missing', async () => {
    const { context } = fakeMediaEnv();
    const env = { ...context.env, navigator: {} } as typeof context.env;
    await expect(listMicrophones({ ...context, env })).rejects.toMatchObject({ code: 'NO_MIC_AVAILABLE', phase: 'media' });
  });
});
