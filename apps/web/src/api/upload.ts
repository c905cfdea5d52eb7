import { bearer, type JsonAnswerOf, rememberPosition } from './client';
import { ApiError, problemOf } from './problem';
import type { paths } from './schema';

export type ImportFileBody = paths['/api/v1/service-records/imports']['post']['requestBody']['content']['application/json'];
type ImportPath = '/api/v1/service-records/imports' | '/api/v1/service-records/imports/preview';

/**
 * POSTs JSON with upload progress (fetch cannot report it): for spreadsheet
 * imports, which may take a while on a slow connection.
 */
export function postWithProgress<P extends ImportPath>(path: P, body: ImportFileBody,
  headers: Record<string, string>, onProgress: (fraction: number) => void): Promise<JsonAnswerOf<paths[P]['post']>> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries({ ...bearer(), ...headers })) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onerror = () => reject(ApiError.network());
    request.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        /* not JSON */
      }
      if (request.status >= 200 && request.status < 300) {
        rememberPosition((parsed as { position?: unknown } | null)?.position);
        resolve(parsed as JsonAnswerOf<paths[P]['post']>);
      } else {
        reject(problemOf(new Response(null, { status: request.status, statusText: request.statusText }), parsed));
      }
    };
    request.send(JSON.stringify(body));
  });
}

/** A file as base64 (without reading it into a string first). */
export function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error);
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.readAsDataURL(file);
  });
}
