/** Assembles the API router from the route modules. */
import { Router } from './router.ts';
import { registerAttachmentRoutes } from './routes-attachments.ts';
import { registerCustomerRoutes } from './routes-customers.ts';
import { registerDeskRoutes } from './routes-desks.ts';
import { registerKnowledgeAndQueueRoutes } from './routes-knowledge-queues.ts';
import { registerOrganizationRoutes } from './routes-organizations.ts';
import { registerPlatformRoutes } from './routes-platform.ts';
import { registerActivityRoutes } from './routes-request-activity.ts';
import { registerStatusRoutes } from './routes-request-status.ts';
import { registerRequestRoutes } from './routes-requests.ts';
import type { SpecIndex } from './spec-index.ts';

export function buildRouter(spec: SpecIndex): Router {
  const router = new Router((method, template) => spec.isExperimental(method, template));
  registerDeskRoutes(router);
  registerRequestRoutes(router);
  registerActivityRoutes(router);
  registerStatusRoutes(router);
  registerAttachmentRoutes(router);
  registerOrganizationRoutes(router);
  registerCustomerRoutes(router);
  registerKnowledgeAndQueueRoutes(router);
  registerPlatformRoutes(router);
  return router;
}
