"""GraphQL documents of the Studio workflow, shared by the mutation tests."""

CREATE_SESSION = """mutation($input: CreateSessionInput!) { createSession(input: $input) {
    session { id title platform aspectRatio state brandKit { name } createdBy { role } }
    userErrors { code message field } } }"""
UPDATE_SESSION = """mutation($input: UpdateSessionInput!) { updateSession(input: $input) {
    session { id title platform aspectRatio brandKit { name } } userErrors { code message field } } }"""
CLOSE_SESSION = """mutation($id: ID!) { closeSession(input: {id: $id}) {
    session { id state closedAt generations { edges { node { id expiresAt } } } } userErrors { code message field } } }"""
LIKE = """mutation($ids: [ID!]!) { like(input: {generationIds: $ids}) {
    generations { id likedByViewer likeCount expiresAt } userErrors { code message field index id } } }"""
UNLIKE = """mutation($ids: [ID!]!) { unlike(input: {generationIds: $ids}) {
    generations { id likedByViewer likeCount expiresAt } userErrors { code message field index id } } }"""
APPROVE = """mutation($input: ApproveInput!) { approve(input: $input) {
    generations { id reviewState expiresAt review { altText rightsNotes source intendedPlacement reviewedAt reviewedBy { role } } }
    userErrors { code message field index id } } }"""
REJECT = """mutation($ids: [ID!]!, $reason: String!) { reject(input: {generationIds: $ids, reason: $reason}) {
    generations { id reviewState review { reason } } userErrors { code message field index id } } }"""
ESCALATE = """mutation($input: EscalateInput!) { escalate(input: $input) {
    generation { id reviewState escalation { concern reason escalatedBy { role } } } userErrors { code message field } } }"""
GENERATE = """mutation($input: GenerateInput!) { generate(input: $input) {
    generations { id prompt negativePrompt width height provider model seed creditsUsed reviewState expiresAt
                  aspectRatio platform mimeType byteSize contextAssets { name } session { title } brandKit { name } }
    userErrors { code message field index id } } }"""
SAVE = """mutation($input: SaveToLibraryInput!) { saveToLibrary(input: $input) {
    assets { id name description altText width height mimeType byteSize aiGenerated
             folder { name } projects { name } tags { name }
             provenance { prompt negativePrompt platform aspectRatio provider model seed creditsUsed rightsNotes source
                          intendedPlacement reviewedAt reviewedBy { role } createdBy { role } session { title }
                          brandKit { name } generation { id savedAsset { id } expiresAt } contextAssets { name } } }
    userErrors { code message field index id } } }"""
