import { useApi } from '@backstage/frontend-plugin-api';
import type { ConnectionTestResult } from '@internal/plugin-esp-common';
import { useCallback, useRef, useState } from 'react';
import { espApiRef } from '../api';
import { errorMessage } from '../lib/errorMessage';

/**
 * The on-blur live check of a typed API key; only the latest check's answer
 * counts. `describeValid` lets a page word the success its own way (Postmark
 * names the server the token belongs to).
 */
export function useTokenCheck(
  providerId: string,
  describeValid: (result: ConnectionTestResult) => string = r => r.message,
) {
  const api = useApi(espApiRef);
  const [error, setError] = useState<string>();
  const [success, setSuccess] = useState<string>();
  const latest = useRef(0);
  const describe = useRef(describeValid);
  describe.current = describeValid;

  const check = useCallback(
    async (apiKey: string) => {
      const id = ++latest.current;
      setError(undefined);
      setSuccess(undefined);
      if (!apiKey.trim()) return;
      try {
        const result = await api.validateCredentials(providerId, apiKey.trim());
        if (id !== latest.current) return;
        if (result.ok) setSuccess(describe.current(result));
        else setError(result.message);
      } catch (e) {
        if (id === latest.current) setError(errorMessage(e));
      }
    },
    [api, providerId],
  );

  const reset = useCallback(() => {
    latest.current++;
    setError(undefined);
    setSuccess(undefined);
  }, []);

  return { check, reset, error, success };
}
