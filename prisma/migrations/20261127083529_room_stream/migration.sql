-- CreateEnum
CREATE TYPE "StreamKind" AS ENUM ('hls', 'embed');

-- CreateEnum
CREATE TYPE "StreamStatus" AS ENUM ('offline', 'live', 'ended');

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "streamKind" "StreamKind",
ADD COLUMN     "streamStatus" "StreamStatus" NOT NULL DEFAULT 'offline',
ADD COLUMN     "streamUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "streamUrl" VARCHAR(1000);
