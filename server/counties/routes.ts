import compression from 'compression';
import { Router } from 'express';
import { z } from 'zod';
import { Api } from '../http/api';
import { NotFoundError } from '../http/errors';
import { stateCountyShapes } from './shapes';

const params = z.object({ state: z.string().regex(/^[A-Za-z]{2}$/, 'must be a 2-letter state code') });

/** County outlines for the dashboard's map: public data, cached by browsers for a day. */
export function countyRoutes(): Api {
  const api = new Api(Router());
  api.route(
    {
      method: 'get',
      path: '/api/geo/:state/counties',
      operationId: 'getCountyOutlines',
      summary: "A state's county outlines (GeoJSON, id = county FIPS)",
      tag: 'geo',
      who: 'anyone',
      params,
      responses: { 200: { description: 'FeatureCollection', contentType: 'application/geo+json' } },
      errors: [400, 404],
    },
    compression(),
    (req, res) => {
      const json = stateCountyShapes((req.params as z.infer<typeof params>).state);
      if (!json) throw new NotFoundError('No such state.');
      res.type('application/geo+json').set('Cache-Control', 'public, max-age=86400').send(json);
    },
  );
  return api;
}
