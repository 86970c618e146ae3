import { All, Controller, Get, Inject, Param, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, Public } from '../core/access/access.decorators';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { ScimError, ScimErrorFilter, scimNotFound, sendScim } from './errors';
import { resourceTypeDocuments, SCHEMAS, schemaDocument, SCIM_BASE_PATH, SCIM_LIST_SCHEMA, serviceProviderConfig } from './schemas';

/** A list of discovery documents (RFC 7644 §3.4.2): every one, one page. */
const listOf = (resources: unknown[]) => ({
  schemas: [SCIM_LIST_SCHEMA],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
});

/**
 * What the SCIM service is (RFC 7644 §4): /ServiceProviderConfig, /ResourceTypes, /Schemas, for any
 * valid API token of the organization; /Bulk and /Me, advertised as unsupported, answer 501.
 */
@Controller('scim/v2')
@UseFilters(ScimErrorFilter)
export class ScimDiscoveryController {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.base = `${config.publicUrl}${SCIM_BASE_PATH}`;
  }

  @Get('ServiceProviderConfig')
  @Authenticated({ bearerOnly: true })
  serviceProviderConfig(@Res() res: Response): void {
    sendScim(res, 200, serviceProviderConfig(this.base));
  }

  @Get('ResourceTypes')
  @Authenticated({ bearerOnly: true })
  resourceTypes(@Res() res: Response): void {
    sendScim(res, 200, listOf(resourceTypeDocuments(this.base)));
  }

  @Get('ResourceTypes/:name')
  @Authenticated({ bearerOnly: true })
  resourceType(@Param('name') name: string, @Res() res: Response): void {
    const found = resourceTypeDocuments(this.base).find((t) => String(t['id']).toLowerCase() === name.toLowerCase());
    if (!found) throw scimNotFound('No such resource type.');
    sendScim(res, 200, found);
  }

  @Get('Schemas')
  @Authenticated({ bearerOnly: true })
  schemas(@Res() res: Response): void {
    sendScim(res, 200, listOf(SCHEMAS.map((s) => schemaDocument(s, this.base))));
  }

  @Get('Schemas/:urn')
  @Authenticated({ bearerOnly: true })
  schema(@Param('urn') urn: string, @Res() res: Response): void {
    const found = SCHEMAS.find((s) => s.id.toLowerCase() === urn.toLowerCase());
    if (!found) throw scimNotFound('No such schema.');
    sendScim(res, 200, schemaDocument(found, this.base));
  }

  @All(['Bulk', 'Me', 'Me/*rest'])
  @Authenticated({ bearerOnly: true })
  unsupported(): never {
    throw new ScimError(501, undefined, 'Not supported here (see /ServiceProviderConfig).');
  }
}

/**
 * Any other path under /scim: a SCIM 404 (registered after every SCIM route: the last feature module),
 * so that no answer under /scim is anything but SCIM.
 */
@Controller('scim')
@UseFilters(ScimErrorFilter)
export class ScimFallbackController {
  @All(['', '*rest'])
  @Public()
  notFound(): never {
    throw scimNotFound('No such SCIM endpoint.');
  }
}
