import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { FileDownload, UploadTicket } from '../../core/storage/file.type';
import type { TenantContext } from './context';
import { Library } from './library.type';
import { Tenant } from './tenant.type';
import { FileUploadInput } from './tenant-file.input';
import {
  confirmLibraryPhotoUpload,
  confirmTenantLogoUpload,
  libraryPhoto,
  requestLibraryPhotoUpload,
  requestTenantLogoUpload,
  tenantLogo,
} from './tenant-file.service';

@Resolver(() => Library)
export class LibraryFileResolver {
  @Mutation(() => UploadTicket, { description: 'An upload URL for a library photo (image/jpeg, png or webp, up to 5 MB).' })
  requestLibraryPhotoUpload(
    @Arg('libraryId', () => ID) libraryId: string,
    @Arg('input', () => FileUploadInput) input: FileUploadInput,
    @Ctx() ctx: TenantContext,
  ) {
    return requestLibraryPhotoUpload(ctx, libraryId, input);
  }

  @Mutation(() => Library, { description: 'Checks the uploaded photo and makes it the library’s photo (the previous one is deleted).' })
  confirmLibraryPhotoUpload(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: TenantContext) {
    return confirmLibraryPhotoUpload(ctx, fileId);
  }

  @FieldResolver(() => FileDownload, { nullable: true, description: 'A 5-minute download link of the photo.' })
  photo(@Root() library: Library, @Ctx() ctx: TenantContext) {
    return libraryPhoto(ctx, library.id);
  }
}

@Resolver(() => Tenant)
export class TenantFileResolver {
  @Mutation(() => UploadTicket, { description: 'An upload URL for the tenant logo (image/png, svg+xml or webp, up to 1 MB).' })
  requestTenantLogoUpload(@Arg('input', () => FileUploadInput) input: FileUploadInput, @Ctx() ctx: TenantContext) {
    return requestTenantLogoUpload(ctx, input);
  }

  @Mutation(() => FileDownload, { description: 'Checks the uploaded logo and makes it the current one (the previous one is deleted).' })
  confirmTenantLogoUpload(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: TenantContext) {
    return confirmTenantLogoUpload(ctx, fileId);
  }

  @FieldResolver(() => FileDownload, { nullable: true, description: "A 5-minute download link of the caller's own tenant logo." })
  logo(@Root() tenant: Tenant, @Ctx() ctx: TenantContext) {
    return tenantLogo(ctx, tenant.id);
  }
}
